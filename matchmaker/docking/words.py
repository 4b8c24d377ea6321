"""Docking texts in both languages outside a request (error bodies, e-mails): the zh catalogue's
.po files read directly, so services and the mail thread need no Flask request context."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po

ZH_FOLDER = Path(__file__).resolve().parent.parent / "translations" / "zh" / "LC_MESSAGES"
LANGUAGES = ("zh", "en")


@lru_cache(maxsize=1)
def _zh() -> dict[str, str]:
    table: dict[str, str] = {}
    for path in sorted(ZH_FOLDER.glob("*.po")):
        with open(path, "rb") as po:
            for message in read_po(po):
                if message.id and message.string and isinstance(message.id, str):
                    table[message.id] = message.string
    return table


def say(msgid: str, lang: str = "zh", **params) -> str:
    """`msgid` (an English N_ text) in `lang` ('zh' or 'en'; anything else: zh), with its params."""
    text = msgid if lang == "en" else _zh().get(msgid, msgid)
    return text % params if params else text


def both(msgid: str, **params) -> dict[str, str]:
    """{"en": ..., "zh": ...} of one message."""
    return {lang: say(msgid, lang, **params) for lang in LANGUAGES}
