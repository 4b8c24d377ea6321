"""An outbox: mails queued by a request are sent after it, on one background thread per process.

The thread starts on the first mail (after gunicorn forked, never at import). Each mail is tried
`tries` times with a growing pause between tries; a mail that still fails is logged and dropped.
Nothing here raises into the caller: `send` only queues.
"""
from __future__ import annotations

import logging
import queue
import smtplib
import ssl
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Callable, Protocol

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


class Transport(Protocol):
    def deliver(self, mail: Mail, sender: str) -> None:
        """Send one mail or raise."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    user: str = ""
    password: str = ""
    sender: str = "noreply@localhost"
    starttls: bool = False
    timeout: float = 10.0

    @classmethod
    def of(cls, config: dict) -> "SmtpSettings | None":
        """From the app's config (SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASSWORD, MAIL_FROM, SMTP_STARTTLS);
        None when SMTP_HOST is not set (no e-mail)."""
        if not config.get("SMTP_HOST"):
            return None
        return cls(config["SMTP_HOST"], int(config.get("SMTP_PORT") or 25), config.get("SMTP_USER") or "",
                   config.get("SMTP_PASSWORD") or "", config.get("MAIL_FROM") or "noreply@localhost",
                   bool(config.get("SMTP_STARTTLS")))


class SmtpTransport:
    """One SMTP connection per mail (mails are few: a handful per engagement change)."""

    def __init__(self, settings: SmtpSettings):
        self.settings = settings

    def deliver(self, mail: Mail, sender: str) -> None:
        s = self.settings
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = sender, mail.to, mail.subject
        message.set_content(mail.body)
        with smtplib.SMTP(s.host, s.port, timeout=s.timeout) as smtp:
            if s.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if s.user:
                smtp.login(s.user, s.password)
            smtp.send_message(message)


class Outbox:
    def __init__(self, transport: Transport, sender: str, tries: int = 3, backoff: float = 2.0,
                 sleep: Callable[[float], None] = time.sleep, base_url: str = ""):
        self.transport, self.sender, self.base_url = transport, sender, base_url
        self.tries, self.backoff, self.sleep = max(1, tries), backoff, sleep
        self._queue: queue.Queue[Mail] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.sent = 0
        self.failed = 0

    def send(self, mail: Mail) -> None:
        """Queue a mail; the sender thread starts on first use."""
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="outbox", daemon=True)
                self._thread.start()
        self._queue.put(mail)

    def drain(self, timeout: float = 30.0) -> bool:
        """Wait until every queued mail was sent or given up (tests); False on timeout."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    def deliver_now(self, mail: Mail) -> bool:
        """Try one mail up to `tries` times; True when sent."""
        for attempt in range(1, self.tries + 1):
            try:
                self.transport.deliver(mail, self.sender)
                self.sent += 1
                return True
            except Exception as exc:  # noqa: BLE001 - any failure is retried, then logged
                log.warning("mail to %s, try %d of %d, failed: %s", mail.to, attempt, self.tries, exc)
                if attempt < self.tries:
                    self.sleep(self.backoff * 2 ** (attempt - 1))
        self.failed += 1
        log.error("mail to %s given up after %d tries: %s", mail.to, self.tries, mail.subject)
        return False

    def _run(self) -> None:
        while True:
            mail = self._queue.get()
            try:
                self.deliver_now(mail)
            finally:
                self._queue.task_done()
