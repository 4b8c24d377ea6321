"""E-mail: an outbox sending after the request on a background thread (outbox), the texts (texts),
and the per-request binding that lets services queue mail without knowing Flask.

The app makes one Outbox when SMTP_HOST is configured (app.extensions["outbox"]); the web layer
binds it for each request (matchmaker/web/engagements.py). Outside a request, or without SMTP,
`current_outbox()` is None and no mail is sent.
"""
from __future__ import annotations

from contextvars import ContextVar, Token

from .outbox import Mail, Outbox, SmtpSettings, SmtpTransport
from .texts import engagement_mail

__all__ = ["Mail", "Outbox", "SmtpSettings", "SmtpTransport", "engagement_mail", "bind", "unbind",
           "current_outbox", "outbox_for"]

_CURRENT: ContextVar[Outbox | None] = ContextVar("outbox", default=None)


def bind(outbox: Outbox | None) -> Token:
    return _CURRENT.set(outbox)


def unbind(token: Token) -> None:
    _CURRENT.reset(token)


def current_outbox() -> Outbox | None:
    return _CURRENT.get()


def outbox_for(config: dict) -> Outbox | None:
    """The app's outbox, or None when SMTP is not configured (no thread is started here)."""
    settings = SmtpSettings.of(config)
    if settings is None:
        return None
    return Outbox(SmtpTransport(settings), settings.sender, tries=int(config.get("SMTP_TRIES") or 3),
                  backoff=float(config.get("SMTP_BACKOFF", 2.0)), base_url=config.get("PUBLIC_URL") or "")
