"""Read the first sheet of a vetted XLSX workbook as rows of text."""

from __future__ import annotations

import io
from collections.abc import Iterator

from openpyxl import load_workbook

from .cells import cell_text
from .errors import FileFormatError
from .xlsx_guard import ZipLimits, check_xlsx_container

__all__ = ["iter_xlsx_rows"]


def iter_xlsx_rows(data: bytes, limits: ZipLimits = ZipLimits()) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(row_number, cells)`` of the first sheet, cells already rendered as text."""
    check_xlsx_container(data, limits)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken package
        raise FileFormatError("could not open the XLSX workbook "
                              f"({type(exc).__name__}): save it again from Excel") from exc
    try:
        if not workbook.worksheets:
            raise FileFormatError("the XLSX workbook has no worksheet")
        sheet = workbook.worksheets[0]
        # The stored dimension may be stale; without it openpyxl reads every row.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(min_row=1, min_col=1, values_only=True)
        # openpyxl fills in missing rows, so counting gives the row numbers Excel shows.
        try:
            for row_number, values in enumerate(rows, start=1):
                yield row_number, [cell_text(v) for v in values]
        except Exception as exc:  # malformed sheet XML surfaces only while iterating
            raise FileFormatError("the first worksheet of the XLSX file is damaged "
                                  f"({type(exc).__name__}): save it again from Excel") from exc
    finally:
        workbook.close()
