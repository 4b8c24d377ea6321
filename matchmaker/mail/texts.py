"""Mail texts in the recipient's language (zh unless the account says en): a subject and a plain body."""
from __future__ import annotations

from ..docking.words import say
from ..errors import N_
from .outbox import Mail

GREETING = N_("Hello,")
OPEN_LINK = N_("Open the engagement: %(url)s")
NOTE = N_("Note: %(note)s")
SIGNATURE = N_("— The supply-chain matchmaking platform (this is an automatic message)")
SUBJECT_PREFIX = N_("[Matchmaking]")

BASE_URL = "http://localhost:5000"


def engagement_mail(account: dict, title: str, params: dict, note: str, link: str, base_url: str = "") -> Mail:
    """The mail telling `account` of an engagement change; `title` is the notification's message key."""
    lang = "en" if account.get("lang") == "en" else "zh"
    chosen = {k: v for k, v in params.items() if not k.endswith("_en")}
    if lang == "en":
        chosen.update({k[:-3]: v for k, v in params.items() if k.endswith("_en") and v})
    if "value" not in chosen:
        chosen["value"] = ""
    headline = say(title, lang, **chosen)
    url = (base_url or BASE_URL).rstrip("/") + link
    lines = [say(GREETING, lang), "", headline]
    if note:
        lines += ["", say(NOTE, lang, note=note)]
    lines += ["", say(OPEN_LINK, lang, url=url), "", say(SIGNATURE, lang)]
    return Mail(account["email"], f"{say(SUBJECT_PREFIX, lang)} {headline}", "\n".join(lines))
