"""Read the first sheet of a vetted XLSX workbook as rows of text, streaming and within limits.

openpyxl's read-only rows pad each row up to its last cell (16,384 cells for a cell in column
XFD) and fill in every missing row number, so a small file could cost minutes. Here the sheet's
XML is streamed cell by cell with openpyxl's own cell parser (types, shared strings, dates), and
the limits are checked on each cell before a row is built. This leans on openpyxl internals
(`worksheet._reader.WorkSheetParser`, `ExcelReader`'s steps, the workbook's `_date_formats`), so
openpyxl stays pinned (requirements.txt); tests/unit/test_tabular_reader.py checks types and dates.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet._reader import CELL_TAG, DATA_TAG as SHEET_DATA_TAG, DIMENSION_TAG, ROW_TAG, WorkSheetParser
from openpyxl.xml.functions import iterparse

from ..errors import N_
from .cells import cell_text
from .errors import FileFormatError
from .limits import EXCEL_MAX_ROWS, TableLimits, beyond_last_row, too_wide
from .xlsx_guard import ZipLimits, check_xlsx_container

__all__ = ["iter_xlsx_rows"]

_UNREADABLE = N_("could not open the XLSX workbook (%(error)s): save it again from Excel")
_DAMAGED = N_("the first worksheet of the XLSX file is damaged (%(error)s): save it again from Excel")
_NO_SHEET = N_("the XLSX workbook has no worksheet")
_DECLARED_WIDE = N_("the first worksheet declares columns up to %(column)s: a file may have at most %(max)s columns "
                    "(A to %(last)s); delete the columns after %(last)s")


def iter_xlsx_rows(data: bytes, limits: ZipLimits = ZipLimits(),
                   table_limits: TableLimits = TableLimits()) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(row_number, cells)`` of the first sheet as Excel numbers rows, cells rendered as text."""
    check_xlsx_container(data, limits)
    try:
        reader, path = _open(data)
    except FileFormatError:
        raise
    except Exception as exc:  # openpyxl raises many types for a broken package
        raise FileFormatError(_UNREADABLE % {"error": type(exc).__name__}) from exc
    try:
        with reader.archive.open(path) as source:
            _check_declared(source, table_limits)
        with reader.archive.open(path) as source:
            yield from _stream(source, reader, table_limits)
    except FileFormatError:
        raise
    except Exception as exc:  # malformed sheet XML surfaces only while iterating
        raise FileFormatError(_DAMAGED % {"error": type(exc).__name__}) from exc
    finally:
        reader.archive.close()


def _open(data: bytes) -> tuple[ExcelReader, str]:
    """The workbook's strings, styles and the first worksheet's part, as load_workbook(read_only=True)
    reads them but without sizing every sheet (which parses each one whole when it has no <dimension>)."""
    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
    reader.read_manifest()
    reader.read_strings()
    reader.read_workbook()
    apply_stylesheet(reader.archive, reader.wb)  # the date formats
    for _sheet, rel in reader.parser.find_sheets():
        if rel.target in reader.valid_files and "chartsheet" not in rel.Type:
            return reader, rel.target
    reader.archive.close()
    raise FileFormatError(_NO_SHEET)


def _check_declared(source, limits: TableLimits) -> None:
    """Refuse a sheet whose <dimension> is wider than the limit before reading a row of it."""
    for _event, element in iterparse(source, events=("start",)):
        if element.tag == SHEET_DATA_TAG:
            return  # no dimension: the cells are checked one by one
        if element.tag == DIMENSION_TAG:
            _min_col, _min_row, max_col, _max_row = range_boundaries(element.get("ref", "A1").upper())
            if max_col is not None and max_col > limits.max_columns:
                raise FileFormatError(_DECLARED_WIDE % {"column": get_column_letter(min(max_col, 16_384)),
                                                        "max": limits.max_columns,
                                                        "last": get_column_letter(limits.max_columns)})
            return


def _stream(source, reader: ExcelReader, limits: TableLimits) -> Iterator[tuple[int, list[str]]]:
    book = reader.wb
    parser = WorkSheetParser(None, reader.shared_strings, data_only=True, epoch=book.epoch,
                             date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
    row_number, values, cells = 0, [], 0
    stack = []  # open elements; each finished one is removed from its parent, so memory stays flat
    for event, element in iterparse(source, events=("start", "end")):
        if event == "start":
            stack.append(element)
            if element.tag == ROW_TAG:
                row_number, values, cells = _row_number(element, row_number), [], 0
                parser.row_counter, parser.col_counter = row_number, 0
            continue
        stack.pop()
        if element.tag == CELL_TAG:
            cells += 1
            if cells > limits.max_columns:  # also bounds cells repeating one reference
                raise too_wide(row_number, cells, limits)
            _put(values, parser.parse_cell(element), row_number, limits)
        elif element.tag == ROW_TAG:
            yield row_number, values
        elif element.tag == SHEET_DATA_TAG:
            return  # what follows the rows is not read
        if stack and not _in_cell(stack):
            stack[-1].remove(element)


def _in_cell(stack: list) -> bool:
    return any(e.tag == CELL_TAG for e in stack)  # a cell's parts stay until the cell is parsed (a short stack)


def _row_number(element, previous: int) -> int:
    """The row's `r` (1-based; rows without one follow the previous), within a worksheet's rows."""
    number = int(element.get("r") or previous + 1)
    if number <= previous:
        raise ValueError(f"row {number} after row {previous}")
    if number > EXCEL_MAX_ROWS:
        raise beyond_last_row(number)
    return number


def _put(values: list[str], cell: dict, row: int, limits: TableLimits) -> None:
    """Place one cell in its column; a cell past the column limit ends reading."""
    column = cell["column"]
    if column > limits.max_columns:
        raise too_wide(row, column, limits)
    text = cell_text(cell["value"])
    if column <= len(values):  # a repeated or out-of-order reference overwrites, as Excel would
        values[column - 1] = text
    else:
        values.extend([""] * (column - 1 - len(values)))
        values.append(text)
