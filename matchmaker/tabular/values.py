"""Parse one cell's text into a typed value, or explain what is wrong with it."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable

from .cells import unneutralise
from .columns import Column

__all__ = ["CellError", "clean", "convert"]

_LIST_SEPARATORS = re.compile("[;；]")
_NUMBER = re.compile(r"([+-]?)(\d{1,3}(?:,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?", re.ASCII)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_YMD = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", re.ASCII)
_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", re.ASCII)
# Every Unicode space (U+3000 is the highest) plus BOM and zero-width space; str.strip
# with an explicit set stays linear where an anchored regex could backtrack.
_SPACES = "".join(ch for ch in map(chr, range(0x3001)) if ch.isspace()) + "\ufeff\u200b"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_QUOTES_AND_SPACE = re.compile(r"[\s\"'“”‘’「」『』]")
_BOOLEANS = {"true": True, "yes": True, "1": True, "是": True,
             "false": False, "no": False, "0": False, "否": False}
MAX_ID_LENGTH = 64


class CellError(ValueError):
    """The reason a cell was rejected, phrased for the person fixing the file."""


def clean(text: str) -> str:
    """Trim (incl. U+3000 and zero-width marks) and drop one formula-guard apostrophe."""
    return unneutralise(text.strip(_SPACES)).strip(_SPACES)


def convert(column: Column, text: str) -> object:
    """Typed value of a non-blank, already cleaned cell of *column*."""
    return _CONVERTERS[column.type](column, text)


def _text(column: Column, text: str) -> str:
    return _CONTROL.sub("", text)  # stray control characters mean nothing; Excel rejects them


def _identifier(column: Column, text: str) -> str:
    if len(text) > MAX_ID_LENGTH:
        raise CellError(f"too long: {len(text)} characters, at most {MAX_ID_LENGTH}")
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        raise CellError("contains control characters (tab, line break...): remove them")
    return text


def _items(column: Column, text: str) -> list[str]:
    items = (clean(part) for part in _LIST_SEPARATORS.split(text))
    return list(dict.fromkeys(_text(column, i) for i in items if i))


def _certifications(column: Column, text: str) -> list[str]:
    return list(dict.fromkeys(_certification(item) for item in _items(column, text)))


def _certification(item: str) -> str:
    """``NAME`` or ``NAME@YYYY-MM-DD`` (expiry); the name is kept as written."""
    name, at, expiry = item.rpartition("@")
    if not at:
        return item
    if not name.strip():
        raise CellError(f"certification '{item}' has no name before '@'")
    try:
        return f"{name.strip()}@{_date(None, expiry.strip())}"
    except CellError as exc:
        raise CellError(f"certification '{item}': expiry {exc}") from None


def _number(column: Column, text: str) -> int | float:
    plain = unicodedata.normalize("NFKC", text)  # full-width digits and commas
    match = _NUMBER.fullmatch(plain)
    if not match or not (match[2] or match[3]):
        raise CellError(f"not a number: '{text}' — write digits only, e.g. 1500000")
    value = float(plain.replace(",", ""))
    if not math.isfinite(value):
        raise CellError(f"number too large: '{text}'")
    if value < 0:
        raise CellError(f"must not be negative: '{text}'")
    return int(value) if value.is_integer() and value < 2**53 else value


def _boolean(column: Column, text: str) -> bool:
    try:
        return _BOOLEANS[unicodedata.normalize("NFKC", text).casefold()]
    except KeyError:
        raise CellError(f"not true or false: '{text}' — write true or false") from None


def _date(column: Column | None, text: str) -> str:
    plain = unicodedata.normalize("NFKC", text)
    guess = _guess_date(plain)
    if _ISO_DATE.fullmatch(plain):
        if guess:
            return plain
        raise CellError(f"no such date: '{text}'")
    if guess:
        raise CellError(f"not a date: '{text}' — write it as {guess}")
    raise CellError(f"not a date: '{text}' — write it as YYYY-MM-DD, e.g. 2026-12-31")


def _guess_date(text: str) -> str | None:
    """The ISO form of a year-first or unambiguous day/month-first date, if it exists."""
    if ymd := _YMD.fullmatch(text):
        year, month, day = ymd.groups()
    elif dmy := _DMY.fullmatch(text):
        first, second, year = dmy.groups()
        if int(first) > 12:
            day, month = first, second
        elif int(second) > 12:  # month first, as in the US
            month, day = first, second
        else:
            return None  # 03/04/2026 could be either
    else:
        return None
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _choice(column: Column, text: str) -> str:
    plain = unicodedata.normalize("NFKC", text).casefold()
    value = re.sub(r"[\s-]+", "_", plain)
    value = value if value in column.choices else column.aliases.get(
        _QUOTES_AND_SPACE.sub("", plain))
    if value is None:
        raise CellError(f"not one of {', '.join(column.choices)}: '{text}'")
    return value


_CONVERTERS: dict[str, Callable[[Column, str], object]] = {
    "id": _identifier, "text": _text, "list": _items, "certs": _certifications,
    "number": _number, "bool": _boolean, "date": _date, "enum": _choice,
}
