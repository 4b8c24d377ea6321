"""A firm's contact details and its Unified Social Credit Code (统一社会信用代码, GB 32100-2015)."""
from __future__ import annotations

import re

from ..errors import N_
from .accounts import EMAIL, EMAIL_SHAPE
from .text import text_problem

PHONE = N_("not a phone number: digits, spaces, + - ( ) and an extension, e.g. 028-8888 6666 转 801")
WEBSITE = N_("not a web address: start with http:// or https://, e.g. https://www.example.cn")

_PHONE = re.compile(r"\+?[0-9(][0-9 ()\-]{4,28}(?:\s*(?:转|分机|ext\.?|x)\s*[0-9]{1,6})?", re.IGNORECASE)
_WEBSITE = re.compile(r"https?://[^\s/?#.]+(\.[^\s/?#.]+)+(:[0-9]{1,5})?([/?#]\S*)?", re.IGNORECASE)

# GB 32100-2015: 18 characters from 31 (no I, O, S, V, Z); the last is a check character.
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def phone_problem(value) -> str | None:
    return _shape(value, 64) or (None if _PHONE.fullmatch(str(value).strip()) else PHONE)


def email_problem(value) -> str | None:
    return _shape(value, 200) or (None if EMAIL_SHAPE.fullmatch(str(value).strip()) else EMAIL)


def website_problem(value) -> str | None:
    # Only http(s): a javascript: or data: address would run in the reader's browser when clicked.
    return _shape(value, 200) or (None if _WEBSITE.fullmatch(str(value).strip()) else WEBSITE)


def _shape(value, max_length: int) -> str | None:
    return text_problem(value, max_length)


def credit_code(value: str | None) -> str | None:
    """`value` upper-cased when it is a valid Unified Social Credit Code (checksum included), else None."""
    code = (value or "").strip().upper()
    if len(code) != 18 or any(c not in _USCC_CHARS for c in code):
        return None
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(code, _USCC_WEIGHTS))
    return code if _USCC_CHARS[(31 - total % 31) % 31] == code[17] else None
