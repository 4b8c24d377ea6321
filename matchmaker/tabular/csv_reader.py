"""Decode a CSV upload and yield its rows with spreadsheet row numbers."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator

from ..errors import N_
from .errors import FileFormatError
from .limits import TableLimits, too_long, too_long_line

__all__ = ["decode_csv", "sniff_delimiter", "iter_csv_rows"]

_DELIMITERS = (",", ";", "\t")
_UTF8_BOM = b"\xef\xbb\xbf"
_NOT_TEXT = N_("file is not UTF-8 or GB18030 text: save it as 'CSV UTF-8 (Comma delimited)' in Excel")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_MALFORMED = N_("row %(row)s: the CSV is malformed (%(reason)s); check quotes in that row")


def decode_csv(data: bytes) -> str:
    """Decode UTF-8 (BOM optional), falling back to GB18030 as Excel on Chinese Windows writes."""
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM):]
    if b"\x00" in data:  # UTF-16 ("Unicode Text") or a binary file
        raise FileFormatError(_NOT_TEXT)
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileFormatError(_NOT_TEXT)


def sniff_delimiter(text: str) -> str:
    """Pick the delimiter that occurs most often in the header line (',' on a tie or none)."""
    first = next((line for line in text[:65536].splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])  # max keeps the first on ties
    return best if counts[best] else ","


def iter_csv_rows(data: bytes, limits: TableLimits = TableLimits()) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(row_number, cells)``; a record spanning lines counts as one row, as in Excel.

    The csv module stops a field at `limits.max_cell_chars` (csv.field_size_limit, a process-wide
    setting: every import reads with the same limits), so one unclosed quote cannot swallow the file;
    a line too long for any table within the limits is refused before the module splits it.
    """
    text = decode_csv(data)
    csv.field_size_limit(limits.max_cell_chars)
    at = [0]  # the row being read, for the line check
    reader = csv.reader(_lines(text, limits, at), delimiter=sniff_delimiter(text))
    try:
        for at[0], cells in enumerate(reader, start=1):
            yield at[0], cells
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise too_long(at[0] + 1, limits) from exc
        raise FileFormatError(_MALFORMED % {"row": at[0] + 1, "reason": exc}) from exc


def _lines(text: str, limits: TableLimits, at: list[int]) -> Iterator[str]:
    """The lines of *text* with their ends, as io.StringIO(newline="") splits them, without its copy."""
    for match in _LINE.finditer(text):
        if match.end() - match.start() > limits.max_line_chars:
            raise too_long_line(at[0] + 1, limits)
        yield match.group()
