"""Write records of a file kind as CSV or XLSX in the DATA-FORMAT.md columns."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .cells import format_number, neutralise
from .columns import Column, columns_for

__all__ = ["write_csv", "write_xlsx"]


def write_csv(kind: str, records: Iterable[Mapping[str, object]]) -> bytes:
    """CSV in UTF-8 with a BOM (so Excel detects the encoding), one row per record."""
    columns = columns_for(kind)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(c.name for c in columns)
    for record in records:
        writer.writerow(_text(c, record.get(c.name)) for c in columns)
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(kind: str, records: Iterable[Mapping[str, object]]) -> bytes:
    """A one-sheet workbook; numbers stay numeric cells, everything else is text."""
    columns = columns_for(kind)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=kind)
    sheet.append([c.name for c in columns])
    for record in records:
        sheet.append([_xlsx_value(c, record.get(c.name)) for c in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(column: Column, value: object) -> object:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    # openpyxl refuses control characters that XML 1.0 cannot carry.
    return ILLEGAL_CHARACTERS_RE.sub("", _text(column, value)) or None


def _text(column: Column, value: object) -> str:
    """The cell text of *value*, guarded against formula injection."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return format_number(value)
    if isinstance(value, (list, tuple)):
        value = ";".join(str(v) for v in value)
    return neutralise(str(value))
