"""The outbox with a fake transport (beside the real-SMTP tests in tests/integration/test_engagement_mail.py)."""
from __future__ import annotations

from matchmaker.mail import Mail, Outbox, SmtpSettings, engagement_mail, outbox_for


class Flaky:
    def __init__(self, failures: int):
        self.failures, self.sent, self.calls = failures, [], 0

    def deliver(self, mail: Mail, sender: str) -> None:
        self.calls += 1
        if self.failures:
            self.failures -= 1
            raise OSError("connection refused")
        self.sent.append((sender, mail))


def test_retries_with_growing_pauses_then_sends():
    pauses = []
    transport = Flaky(2)
    outbox = Outbox(transport, "from@x.cn", tries=3, backoff=1.0, sleep=pauses.append)
    assert outbox.deliver_now(Mail("a@x.cn", "s", "b")) is True
    assert pauses == [1.0, 2.0] and transport.calls == 3 and outbox.sent == 1


def test_gives_up_after_the_last_try_without_raising():
    outbox = Outbox(Flaky(5), "from@x.cn", tries=3, backoff=0, sleep=lambda _: None)
    assert outbox.deliver_now(Mail("a@x.cn", "s", "b")) is False and outbox.failed == 1


def test_send_queues_and_the_thread_starts_on_first_use():
    transport = Flaky(0)
    outbox = Outbox(transport, "from@x.cn", sleep=lambda _: None)
    assert outbox._thread is None
    outbox.send(Mail("a@x.cn", "s", "b"))
    assert outbox.drain(5) and transport.sent[0][1].to == "a@x.cn"


def test_no_smtp_host_no_outbox():
    assert outbox_for({}) is None and SmtpSettings.of({"SMTP_HOST": ""}) is None
    made = outbox_for({"SMTP_HOST": "mail", "SMTP_PORT": 2525, "MAIL_FROM": "m@x.cn", "PUBLIC_URL": "https://p"})
    assert made.sender == "m@x.cn" and made.base_url == "https://p" and made._thread is None


def test_mail_text_in_the_readers_language():
    params = {"engagement_id": "G-1", "leader": "链主", "leader_en": "Leader Co", "demand": "齿轮", "supplier": "小企"}
    title = "%(leader)s invites your firm to supply %(demand)s"
    zh = engagement_mail({"email": "a@x.cn"}, title, params, "", "/engagements/G-1", "https://p")
    assert zh.subject == "【供需对接】 链主 邀请贵企业对接供应：齿轮" and "https://p/engagements/G-1" in zh.body
    en = engagement_mail({"email": "a@x.cn", "lang": "en"}, title, params, "hi", "/engagements/G-1", "https://p")
    assert en.subject == "[Matchmaking] Leader Co invites your firm to supply 齿轮" and "Note: hi" in en.body
