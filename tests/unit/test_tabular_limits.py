"""Reading is bounded whatever the file's shape (matchmaker.tabular.limits, reader, xlsx_reader)."""
from __future__ import annotations

import time
from dataclasses import replace

import pytest

from bench import hostile_files as hostile
from matchmaker.services.imports import ImportReport
from matchmaker.tabular import FileFormatError, RowError, parse_rows, read_table
from matchmaker.tabular.errors import ErrorLog
from matchmaker.tabular.limits import EXCEL_MAX_ROWS, TableLimits
from matchmaker.tabular.reader import DEFAULT_MAX_ROWS, open_table

SMALL = TableLimits(max_rows=50, max_columns=4, max_cells=200, max_cell_chars=20, max_errors=3)


def row(number: int, *cells: tuple[str, str]) -> str:
    return f'<row r="{number}">' + "".join(
        f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>' for ref, text in cells) + "</row>"


HEADER = row(1, ("A1", "id"), ("B1", "enterprise_id"), ("C1", "name"))


def test_the_defaults_are_the_documented_ones() -> None:
    limits = TableLimits()
    assert (limits.max_rows, limits.max_columns, limits.max_cells, limits.max_cell_chars, limits.max_errors) == (
        100_000, 64, 2_000_000, 32_767, 1_000)
    assert DEFAULT_MAX_ROWS == limits.max_rows


@pytest.mark.parametrize("declared", [True, False])
def test_a_sheet_reaching_column_xfd_is_refused_at_once(declared: bool) -> None:
    data = hostile.xfd_xlsx(80_000, declared=declared)
    start = time.perf_counter()
    with pytest.raises(FileFormatError) as refused:
        read_table(data, "xfd.xlsx")
    assert time.perf_counter() - start < 5  # it took minutes; ~0.1 s on an idle machine
    assert "XFD" in refused.value.message and "at most 64 columns (A to BL)" in refused.value.message
    assert ("declares columns up to XFD" in refused.value.message) is declared
    assert ("row 2 has a cell in column XFD" in refused.value.message) is not declared


def test_the_last_allowed_column_is_read_and_the_next_one_refused() -> None:
    last = hostile.sheet_xlsx(HEADER + row(2, ("A2", "S1"), ("D2", "extra")))
    assert read_table(last, "f.xlsx", limits=SMALL).rows == [(2, {"id": "S1", "enterprise_id": "", "name": ""})]
    wide = hostile.sheet_xlsx(HEADER + row(2, ("A2", "S1"), ("E2", "extra")))
    with pytest.raises(FileFormatError, match="row 2 has a cell in column E: a file may have at most 4 columns"):
        read_table(wide, "f.xlsx", limits=SMALL)


def test_a_declared_dimension_within_the_limit_is_read() -> None:
    data = hostile.sheet_xlsx(HEADER + row(2, ("A2", "S1")), dimension="A1:C2")
    assert [n for n, _ in read_table(data, "f.xlsx", limits=SMALL).rows] == [2]
    wide = hostile.sheet_xlsx(HEADER + row(2, ("A2", "S1")), dimension="A1:Z2")
    with pytest.raises(FileFormatError, match="declares columns up to Z: a file may have at most 4 columns"):
        read_table(wide, "f.xlsx", limits=SMALL)


def test_a_row_repeating_one_cell_reference_is_refused() -> None:
    data = hostile.sheet_xlsx(HEADER + row(2, *[("A2", "x")] * 5))
    with pytest.raises(FileFormatError, match="row 2 has a cell in column E"):
        read_table(data, "f.xlsx", limits=SMALL)


def test_rows_past_the_last_worksheet_row_are_refused() -> None:
    data = hostile.sheet_xlsx(HEADER + row(EXCEL_MAX_ROWS + 1, (f"A{EXCEL_MAX_ROWS + 1}", "S1")))
    with pytest.raises(FileFormatError, match="row numbered 1048577, past a worksheet's last row"):
        read_table(data, "f.xlsx")


@pytest.mark.parametrize("rows_xml", [row(2, ("A2", "S2")) + row(2, ("A2", "S3")), row(0, ("A1", "S"))])
def test_rows_out_of_order_are_a_damaged_sheet(rows_xml: str) -> None:
    with pytest.raises(FileFormatError, match="the first worksheet of the XLSX file is damaged"):
        read_table(hostile.sheet_xlsx(HEADER + rows_xml), "f.xlsx")


def test_xlsx_cells_over_the_size_limit_are_refused() -> None:
    data = hostile.sheet_xlsx(HEADER + row(2, ("A2", "S1"), ("C2", "x" * 21)))
    with pytest.raises(FileFormatError, match="row 2 has a cell of more than 20 characters"):
        read_table(data, "f.xlsx", limits=SMALL)


def test_cells_per_file_are_bounded() -> None:
    data = ("id,enterprise_id,name\r\n" + "S,E,n\r\n" * 80).encode()  # 3 cells a row
    with pytest.raises(FileFormatError, match="more than 200 cells \\(at row 67\\)"):
        read_table(data, "f.csv", limits=replace(SMALL, max_rows=1000))


def test_csv_rows_wider_than_the_limit_name_the_column() -> None:
    data = b"id,enterprise_id,name\r\nS1,E1,n,x,y\r\n"
    with pytest.raises(FileFormatError, match="row 2 has a cell in column E: a file may have at most 4 columns"):
        read_table(data, "f.csv", limits=SMALL)


def test_csv_fields_over_the_size_limit_are_refused() -> None:
    data = b'id,enterprise_id,name\r\nS1,E1,"' + b"x" * 21 + b'"\r\n'
    with pytest.raises(FileFormatError, match="row 2 has a cell of more than 20 characters"):
        read_table(data, "f.csv", limits=SMALL)


def test_data_rows_are_bounded_and_blank_rows_do_not_count() -> None:
    data = ("id,name\r\n" + "\r\n" * 100 + "E,n\r\n" * 50).encode()
    assert len(read_table(data, "f.csv", limits=SMALL).rows) == 50
    with pytest.raises(FileFormatError, match="too many rows: at most 50 data rows"):
        read_table(data + b"E,n\r\n", "f.csv", limits=SMALL)


def test_open_table_reads_rows_lazily() -> None:
    table = open_table(b"id,name\r\nE1,a\r\nE2,b\r\n", "f.csv")
    assert not isinstance(table.rows, list)
    assert [n for n, _ in table.rows] == [2, 3]


def test_the_error_log_keeps_the_first_errors_and_counts_the_rest() -> None:
    log = ErrorLog(3)
    log.add([RowError(2, "id", "a"), RowError(2, "name", "b")])
    assert not log.full
    log.add([RowError(3, "id", "c"), RowError(4, "id", "d"), RowError(5, "id", "e")])
    assert [e.row for e in log.kept] == [2, 2, 3]
    assert (log.total, log.omitted, log.rejected_rows, log.full) == (5, 2, 4, True)


def bad_supply(rows: int) -> bytes:
    return ("id,enterprise_id,name,capacity\r\n" + ",,x,zz\r\n" * rows).encode()  # two errors a row


def test_parsing_keeps_at_most_the_cap_of_errors_and_counts_all_rows() -> None:
    result = parse_rows("supply", open_table(bad_supply(400), "f.csv"), log=ErrorLog(10))
    assert len(result.errors) == 10 and result.log.total == 800 and result.log.rejected_rows == 400
    assert result.rows == 400 and result.stopped_at is None and result.valid == []


def test_parsing_stops_once_the_log_is_full_when_asked() -> None:
    result = parse_rows("supply", open_table(bad_supply(400), "f.csv"), log=ErrorLog(10), stop_when_full=True)
    assert result.stopped_at == 6 and result.rows == 5  # rows 2-6: two errors each
    assert len(result.errors) == 10 and result.log.omitted == 0


def test_the_report_counts_omitted_errors_and_caps_warnings() -> None:
    report = ImportReport("supply", "f.csv", "valid_rows", log=ErrorLog(2))
    report.log.add([RowError(2, "id", "a"), RowError(3, "id", "b"), RowError(4, "id", "c")])
    report.warn(["w1", "w2", "w3"])
    data = report.as_dict()
    assert (data["errors_total"], data["errors_omitted"], len(data["errors"]), data["rejected"]) == (3, 1, 2, 3)
    assert data["warnings"] == ["w1", "w2"] and data["warnings_total"] == 3 and data["stopped_at_row"] is None


def test_a_csv_line_too_long_for_any_table_is_refused_before_splitting() -> None:
    assert SMALL.max_line_chars == 4 * (2 * 20 + 3)
    data = b"id,enterprise_id,name\r\n" + b"," * 200 + b"\r\n"
    with pytest.raises(FileFormatError, match="row 2 is longer than 172 characters: a row holds at most 4 cells"):
        read_table(data, "f.csv", limits=SMALL)


@pytest.mark.parametrize("text", ["id,name\r\nE1,a\r\n", "id,name\nE1,a", "id,name\rE1,a\r", 'id,name\r\nE1,"a\r\nb"\r\n'])
def test_csv_lines_end_as_excel_writes_them(text: str) -> None:
    rows = read_table(text.encode(), "f.csv").rows
    assert [n for n, _ in rows] == [2] and rows[0][1]["id"] == "E1"
