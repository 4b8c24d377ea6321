"""Turn an uploaded CSV or XLSX file into a :class:`Table` of text cells."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ..errors import N_
from .csv_reader import iter_csv_rows
from .errors import FileFormatError
from .xlsx_guard import ZipLimits
from .xlsx_reader import iter_xlsx_rows

__all__ = ["Table", "read_table", "DEFAULT_MAX_ROWS"]

DEFAULT_MAX_ROWS = 1_000_000
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls, or an encrypted workbook
_CSV_SUFFIXES = ("", ".csv", ".txt", ".tsv")


@dataclass
class Table:
    """Header names as written and data rows keyed by them; row 1 is the header."""

    header: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_table(data: bytes, filename: str, *, max_rows: int = DEFAULT_MAX_ROWS,
               zip_limits: ZipLimits = ZipLimits()) -> Table:
    """Read the file, choosing CSV or XLSX by its content first and its extension second.

    Raises :class:`FileFormatError` when the file cannot be read as a whole.
    """
    return _build_table(_iter_rows(data, filename, zip_limits), max_rows)


def _iter_rows(data: bytes, filename: str, limits: ZipLimits) -> Iterator[tuple[int, list[str]]]:
    suffix = os.path.splitext(filename.strip())[1].lower()
    if data.startswith(_ZIP_MAGIC) or suffix in (".xlsx", ".xlsm"):
        return iter_xlsx_rows(data, limits)
    if data.startswith(_OLE_MAGIC) or suffix == ".xls":
        raise FileFormatError(N_("old .xls or password-protected workbooks are not supported: "
                                 "remove the password and save it as 'Excel Workbook (*.xlsx)'"))
    if suffix not in _CSV_SUFFIXES:
        raise FileFormatError(N_("unsupported file type '%(suffix)s': upload a .csv or .xlsx file") % {"suffix": suffix})
    return iter_csv_rows(data)


def _build_table(raw: Iterable[tuple[int, list[str]]], max_rows: int) -> Table:
    rows = iter(raw)
    first = next(rows, None)
    if first is None or not any(c.strip() for c in first[1]):
        raise FileFormatError(N_("row 1 must hold the column names, but it is empty"))
    header = list(first[1])
    table = Table(header=[h for h in header if h.strip()])
    stray: set[int] = set()  # positions of data cells under no header
    for row_number, cells in rows:
        if not any(c.strip() for c in cells):
            continue  # blank rows are common at the end of a sheet
        if len(table.rows) >= max_rows:
            raise FileFormatError(N_("too many rows: at most %(max)s data rows per file; split it into several files")
                                  % {"max": max_rows})
        table.rows.append((row_number, _row_dict(header, cells, stray)))
    table.warnings.extend(N_("column %(n)s has no name in row 1: its values are ignored") % {"n": i + 1}
                          for i in sorted(stray))
    return table


def _row_dict(header: list[str], cells: list[str], stray: set[int]) -> dict[str, str]:
    values = {name: "" for name in header if name.strip()}
    for i, cell in enumerate(cells):
        name = header[i] if i < len(header) else ""
        if name.strip():
            values[name] = cell
        elif cell.strip():
            stray.add(i)
    return values

