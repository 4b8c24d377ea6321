"""E-mail about engagements against a real SMTP server on loopback (aiosmtpd): the invited SME's account
gets the mail in its language with the link; a refused first attempt is retried; SMTP down never fails
the request."""
from __future__ import annotations

import email
import socket
import time
from email import policy

import pytest
from aiosmtpd.controller import Controller

from tests.helpers import bearer, firm_with_token, gen_user


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """An aiosmtpd handler keeping what it received; `refuse` DATA answers 451 before accepting."""

    def __init__(self, refuse: int = 0):
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []
        self.attempts = 0
        self.refuse = refuse

    async def handle_DATA(self, server, session, envelope):
        self.attempts += 1
        if self.refuse > 0:
            self.refuse -= 1
            return "451 4.3.0 try again later"
        self.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content,
                                                                                 policy=policy.default)))
        return "250 OK"


@pytest.fixture
def smtp():
    servers = []

    def start(refuse: int = 0) -> tuple[Inbox, int]:
        handler, port = Inbox(refuse), _free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        servers.append(controller)
        return handler, port
    yield start
    for controller in servers:
        controller.stop()


def _app(db, tmp_path, monkeypatch, port: int):
    monkeypatch.setenv("VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    from matchmaker import create_app

    return create_app({"TESTING": True, "GRAPH_DB": db, "HOME_REGION": "510100", "MATCH_BUILDER_THREAD": False,
                       "MATCH_REFRESH_MS": 0, "ALERT_BACKGROUND": False, "SMTP_HOST": "127.0.0.1",
                       "SMTP_PORT": port, "MAIL_FROM": "platform@example.cn", "SMTP_BACKOFF": 0.05,
                       "PUBLIC_URL": "https://match.example.cn"})


def _invite(app, db):
    client = app.test_client()
    leader, _, leader_token = firm_with_token(db, "leader")
    sme = firm_with_token(db, "sme")
    demand = client.post("/api/v1/demand-items", headers=bearer(leader_token),
                         json={"name": "车规级IGBT模块", "quantity": 100, "unit": "pcs", "unit_price": 10})
    assert demand.status_code == 201
    started = time.monotonic()
    made = client.post("/api/v1/engagements", headers=bearer(leader_token),
                       json={"demand_item_id": demand.get_json()["data"]["id"], "supplier_id": sme[0]["id"],
                             "note": "请报价"})
    took = time.monotonic() - started
    assert made.status_code == 201, made.get_json()
    return made.get_json()["data"], sme[1], took


def test_the_invited_sme_gets_a_mail_in_chinese_with_the_link(db, tmp_path, monkeypatch, smtp):
    inbox, port = smtp()
    app = _app(db, tmp_path, monkeypatch, port)
    official = gen_user(db, "official")
    engagement, sme_user, _ = _invite(app, db)
    assert app.extensions["outbox"].drain(10)
    by_rcpt = {rcpt[0]: message for rcpt, message in inbox.messages}
    assert set(by_rcpt) >= {sme_user["email"], official["email"]}
    mail = by_rcpt[sme_user["email"]]
    assert mail["From"] == "platform@example.cn" and mail["To"] == sme_user["email"]
    assert mail["Subject"].startswith("【供需对接】") and "邀请贵企业对接供应" in mail["Subject"]
    body = mail.get_content()
    assert f"https://match.example.cn/engagements/{engagement['id']}" in body
    assert "备注：请报价" in body and "车规级IGBT模块" in body


def test_a_refused_first_attempt_is_retried(db, tmp_path, monkeypatch, smtp):
    inbox, port = smtp(refuse=1)
    app = _app(db, tmp_path, monkeypatch, port)
    _, sme_user, _ = _invite(app, db)
    assert app.extensions["outbox"].drain(10)
    assert [rcpt for rcpt, _ in inbox.messages] == [[sme_user["email"]]]
    assert inbox.attempts == 2 and app.extensions["outbox"].failed == 0


def test_smtp_down_does_not_fail_the_request(db, tmp_path, monkeypatch):
    app = _app(db, tmp_path, monkeypatch, _free_port())  # nothing listens there
    engagement, _, took = _invite(app, db)
    assert engagement["status"] == "invited" and took < 5
    outbox = app.extensions["outbox"]
    assert outbox.drain(10) and outbox.failed >= 1 and outbox.sent == 0
