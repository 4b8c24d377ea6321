"""Bounds on one uploaded table, whatever its shape (DATA-FORMAT.md, "Limits").

The zip container has its own bounds (xlsx_guard.ZipLimits); these bound what is read out of
it, or out of a CSV: rows, columns, cells and characters per cell, so that a file of any shape
costs a bounded time and memory, and a report a bounded size.
"""
from __future__ import annotations

from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from ..errors import N_
from .errors import FileFormatError

__all__ = ["TableLimits", "EXCEL_MAX_ROWS", "too_wide", "too_long", "too_many_cells", "too_long_line",
           "beyond_last_row"]

EXCEL_MAX_ROWS = 1_048_576  # a worksheet's last row


@dataclass(frozen=True, slots=True)
class TableLimits:
    """Per file. The widest kind has 14 columns; 100,000 rows of a supply list are ~20 MB of
    CSV, the web upload limit (MAX_UPLOAD_MB)."""

    max_rows: int = 100_000  # data rows; blank rows are skipped, not counted
    max_columns: int = 64
    max_cells: int = 2_000_000  # cells read, blank ones included
    max_cell_chars: int = 32_767  # Excel's own limit per cell
    max_errors: int = 1_000  # row errors (and warnings) a report keeps; the rest are counted

    @property
    def max_line_chars(self) -> int:
        """The longest text line a table within the limits needs: every cell full and quoted, each
        quote doubled. A longer CSV line is refused before the csv module splits it into cells."""
        return self.max_columns * (2 * self.max_cell_chars + 3)


def too_wide(row: int, column: int, limits: TableLimits) -> FileFormatError:
    last = get_column_letter(limits.max_columns)
    return FileFormatError(N_("row %(row)s has a cell in column %(column)s: a file may have at most %(max)s columns "
                              "(A to %(last)s); delete the columns after %(last)s")
                           % {"row": row, "column": get_column_letter(min(column, 16_384)),
                              "max": limits.max_columns, "last": last})


def too_long(row: int, limits: TableLimits) -> FileFormatError:
    return FileFormatError(N_("row %(row)s has a cell of more than %(max)s characters")
                           % {"row": row, "max": limits.max_cell_chars})


def too_many_cells(row: int, limits: TableLimits) -> FileFormatError:
    return FileFormatError(N_("the file has more than %(max)s cells (at row %(row)s); split it into several files")
                           % {"max": limits.max_cells, "row": row})


def too_long_line(row: int, limits: TableLimits) -> FileFormatError:
    return FileFormatError(N_("row %(row)s is longer than %(max)s characters: a row holds at most %(columns)s cells "
                              "of %(chars)s characters")
                           % {"row": row, "max": limits.max_line_chars, "columns": limits.max_columns,
                              "chars": limits.max_cell_chars})


def beyond_last_row(row: int) -> FileFormatError:
    return FileFormatError(N_("the file has a row numbered %(row)s, past a worksheet's last row (%(max)s)")
                           % {"row": row, "max": EXCEL_MAX_ROWS})
