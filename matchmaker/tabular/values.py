"""Parse one cell's text into a typed value, or explain what is wrong with it."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable

from ..errors import N_
from .cells import unneutralise
from .columns import Column

__all__ = ["CellError", "clean", "convert"]

_LIST_SEPARATORS = re.compile("[;；]")
_NUMBER = re.compile(r"([+-]?)(\d{1,3}(?:,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?", re.ASCII)
# Every Unicode space (U+3000 is the highest) plus BOM and zero-width space; str.strip
# with an explicit set stays linear where an anchored regex could backtrack.
_SPACES = "".join(ch for ch in map(chr, range(0x3001)) if ch.isspace()) + "\ufeff\u200b"
_QUOTES_AND_SPACE = re.compile(r"[\s\"'“”‘’「」『』]")
_BOOLEANS = {"true": True, "yes": True, "1": True, "是": True,
             "false": False, "no": False, "0": False, "否": False}


class CellError(ValueError):
    """The reason a cell was rejected, phrased for the person fixing the file."""


def clean(text: str) -> str:
    """Trim (incl. U+3000 and zero-width marks) and drop one formula-guard apostrophe."""
    return unneutralise(text.strip(_SPACES)).strip(_SPACES)


def convert(column: Column, text: str) -> object:
    """Typed value of a non-blank, already cleaned cell of *column*."""
    return _CONVERTERS[column.type](column, text)


def _text(column: Column, text: str) -> str:
    # Kept as written: matchmaker.rules refuses control characters and sizes on every path alike.
    return text


_identifier = _text


def _items(column: Column, text: str) -> list[str]:
    items = (clean(part) for part in _LIST_SEPARATORS.split(text))
    return list(dict.fromkeys(i for i in items if i))


def _certifications(column: Column, text: str) -> list[str]:
    return list(dict.fromkeys(_certification(item) for item in _items(column, text)))


def _certification(item: str) -> str:
    """``NAME`` or ``NAME@YYYY-MM-DD``, spaces around '@' dropped; the rules judge the expiry."""
    name, at, expiry = item.rpartition("@")
    return f"{name.strip()}@{unicodedata.normalize('NFKC', expiry.strip())}" if at else item


def _number(column: Column, text: str) -> int | float:
    plain = unicodedata.normalize("NFKC", text)  # full-width digits and commas
    match = _NUMBER.fullmatch(plain)
    if not match or not (match[2] or match[3]):
        raise CellError(N_("not a number: '%(text)s' — write digits only, e.g. 1500000") % {"text": text})
    value = float(plain.replace(",", ""))
    if not math.isfinite(value):
        raise CellError(N_("number too large: '%(text)s'") % {"text": text})
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def _boolean(column: Column, text: str) -> bool:
    try:
        return _BOOLEANS[unicodedata.normalize("NFKC", text).casefold()]
    except KeyError:
        raise CellError(N_("not true or false: '%(text)s' — write true or false") % {"text": text}) from None


def _date(column: Column | None, text: str) -> str:
    # Full-width digits made plain; whether the date exists is a rule (matchmaker.rules).
    return unicodedata.normalize("NFKC", text)


def _choice(column: Column, text: str) -> str:
    plain = unicodedata.normalize("NFKC", text).casefold()
    value = re.sub(r"[\s-]+", "_", plain)
    value = value if value in column.choices else column.aliases.get(
        _QUOTES_AND_SPACE.sub("", plain))
    return text if value is None else value  # an unknown value is refused by matchmaker.rules


_CONVERTERS: dict[str, Callable[[Column, str], object]] = {
    "id": _identifier, "text": _text, "list": _items, "certs": _certifications,
    "number": _number, "bool": _boolean, "date": _date, "enum": _choice,
}
