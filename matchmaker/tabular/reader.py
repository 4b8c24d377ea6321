"""Turn an uploaded CSV or XLSX file into a :class:`Table` of text cells, within :class:`TableLimits`."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from ..errors import N_
from .csv_reader import iter_csv_rows
from .errors import FileFormatError
from .limits import EXCEL_MAX_ROWS, TableLimits, beyond_last_row, too_long, too_many_cells, too_wide
from .xlsx_guard import ZipLimits
from .xlsx_reader import iter_xlsx_rows

__all__ = ["Table", "open_table", "read_table", "DEFAULT_MAX_ROWS"]

DEFAULT_MAX_ROWS = TableLimits().max_rows
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls, or an encrypted workbook
_CSV_SUFFIXES = ("", ".csv", ".txt", ".tsv")

Row = tuple[int, dict[str, str]]


@dataclass
class Table:
    """Header names as written and data rows keyed by them; row 1 is the header.

    From :func:`open_table` the rows are read as they are iterated (once); the warnings about
    cells under no header are complete only after that.
    """

    header: list[str]
    rows: Iterable[Row] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_table(data: bytes, filename: str, *, max_rows: int | None = None,
               limits: TableLimits = TableLimits(), zip_limits: ZipLimits = ZipLimits()) -> Table:
    """The whole table in memory (rows as a list); see :func:`open_table`."""
    if max_rows is not None:
        limits = replace(limits, max_rows=max_rows)
    table = open_table(data, filename, limits=limits, zip_limits=zip_limits)
    table.rows = list(table.rows)
    return table


def open_table(data: bytes, filename: str, *, limits: TableLimits = TableLimits(),
               zip_limits: ZipLimits = ZipLimits()) -> Table:
    """Read the header now and the rows lazily, choosing CSV or XLSX by content first, extension second.

    Raises :class:`FileFormatError` when the file cannot be read as a whole (here or while iterating).
    """
    rows = _bounded(_iter_rows(data, filename, limits, zip_limits), limits)
    first = next(rows, None)
    if first is None or not any(c.strip() for c in first[1]):
        raise FileFormatError(N_("row 1 must hold the column names, but it is empty"))
    header = list(first[1])
    table = Table(header=[h for h in header if h.strip()])
    table.rows = _data_rows(rows, header, table.warnings, limits.max_rows)
    return table


def _iter_rows(data: bytes, filename: str, limits: TableLimits,
               zip_limits: ZipLimits) -> Iterator[tuple[int, list[str]]]:
    suffix = os.path.splitext(filename.strip())[1].lower()
    if data.startswith(_ZIP_MAGIC) or suffix in (".xlsx", ".xlsm"):
        return iter_xlsx_rows(data, zip_limits, limits)
    if data.startswith(_OLE_MAGIC) or suffix == ".xls":
        raise FileFormatError(N_("old .xls or password-protected workbooks are not supported: "
                                 "remove the password and save it as 'Excel Workbook (*.xlsx)'"))
    if suffix not in _CSV_SUFFIXES:
        raise FileFormatError(N_("unsupported file type '%(suffix)s': upload a .csv or .xlsx file") % {"suffix": suffix})
    return iter_csv_rows(data, limits)


def _bounded(raw: Iterable[tuple[int, list[str]]], limits: TableLimits) -> Iterator[tuple[int, list[str]]]:
    """The shape limits every reader shares: columns, cells, characters per cell, row numbers."""
    cells = 0
    for row_number, values in raw:
        if row_number > EXCEL_MAX_ROWS:
            raise beyond_last_row(row_number)
        if len(values) > limits.max_columns:
            raise too_wide(row_number, len(values), limits)
        cells += len(values)
        if cells > limits.max_cells:
            raise too_many_cells(row_number, limits)
        if any(len(v) > limits.max_cell_chars for v in values):
            raise too_long(row_number, limits)
        yield row_number, values


def _data_rows(rows: Iterator[tuple[int, list[str]]], header: list[str], warnings: list[str],
               max_rows: int) -> Iterator[Row]:
    stray: set[int] = set()  # positions of data cells under no header
    count = 0
    for row_number, cells in rows:
        if not any(c.strip() for c in cells):
            continue  # blank rows are common at the end of a sheet
        count += 1
        if count > max_rows:
            raise FileFormatError(N_("too many rows: at most %(max)s data rows per file; split it into several files")
                                  % {"max": max_rows})
        yield row_number, _row_dict(header, cells, stray)
    warnings.extend(N_("column %(n)s has no name in row 1: its values are ignored") % {"n": i + 1}
                    for i in sorted(stray))


def _row_dict(header: list[str], cells: list[str], stray: set[int]) -> dict[str, str]:
    values = {name: "" for name in header if name.strip()}
    for i, cell in enumerate(cells):
        name = header[i] if i < len(header) else ""
        if name.strip():
            values[name] = cell
        elif cell.strip():
            stray.add(i)
    return values
