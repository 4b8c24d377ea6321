"""Cell-level text conventions shared by the reader, the row parser and the writer."""

from __future__ import annotations

import datetime as dt
import math
import re

__all__ = ["format_number", "cell_text", "neutralise", "unneutralise"]

# Spreadsheet programs treat cells starting with these as formulas (CSV injection).
_TRIGGERS = "=+-@\t\r"
# A text needs the guard apostrophe when, past any apostrophes it already has,
# it starts with a trigger; the reader removes exactly one such apostrophe, so
# a text that really begins with "'=" survives the round trip too.
_NEEDS_GUARD = re.compile(f"^'*[{re.escape(_TRIGGERS)}]")
_GUARDED = re.compile(f"^'(?='*[{re.escape(_TRIGGERS)}])")


def format_number(value: float | int) -> str:
    """Render a number as text, integral floats without a trailing ``.0``.

    >>> format_number(1500000.0), format_number(2.5), format_number(7)
    ('1500000', '2.5', '7')
    """
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def cell_text(value: object) -> str:
    """Turn a typed spreadsheet cell value into the text a user would type."""
    if value is None:
        return ""
    if isinstance(value, bool):  # before int: bool is an int subclass
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return format_number(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def neutralise(text: str) -> str:
    """Prefix ``'`` so a spreadsheet shows *text* literally instead of running it."""
    return "'" + text if _NEEDS_GUARD.match(text) else text


def unneutralise(text: str) -> str:
    """Undo :func:`neutralise`: drop exactly one guard apostrophe, if present."""
    return _GUARDED.sub("", text, count=1)
