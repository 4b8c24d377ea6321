"""Reading CSV and XLSX uploads into a Table (matchmaker.tabular.reader)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from matchmaker.tabular import FileFormatError, read_table

HEADER = "id,name,role,region"


def xlsx_bytes(*rows: list[object], extra_sheet: bool = False) -> bytes:
    """A workbook whose first sheet holds *rows* (None leaves a blank row)."""
    workbook = Workbook()
    sheet = workbook.active
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row or [], start=1):
            sheet.cell(row=number, column=column, value=value)
    if extra_sheet:
        workbook.create_sheet("second")["A1"] = "not read"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings_decode_chinese_text(encoding: str) -> None:
    data = f"{HEADER}\r\nE1,成都航宇超合金技术有限公司,sme,成都市双流区\r\n".encode(encoding)
    table = read_table(data, "firms.csv")
    assert table.header == ["id", "name", "role", "region"]
    assert table.rows == [(2, {"id": "E1", "name": "成都航宇超合金技术有限公司",
                               "role": "sme", "region": "成都市双流区"})]


@pytest.mark.parametrize("data", [
    "id,name\r\nE1,Café\r\n".encode("utf-16"),  # Excel's "Unicode Text"
    b"id,name\r\nE1,\xff\xfe\xff\r\n",          # neither UTF-8 nor GB18030
])
def test_csv_in_other_encodings_is_rejected_with_advice(data: bytes) -> None:
    with pytest.raises(FileFormatError, match="not UTF-8 or GB18030.*CSV UTF-8"):
        read_table(data, "firms.csv")


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_is_sniffed(delimiter: str) -> None:
    text = delimiter.join(["id", "name", "certifications"]) + "\n"
    text += delimiter.join(["E1", "A, B and C", "ISO9001"]) + "\n"
    if delimiter == ",":
        text = text.replace("A, B and C", '"A, B and C"')
    table = read_table(text.encode(), "f.csv")
    assert table.rows[0][1] == {"id": "E1", "name": "A, B and C", "certifications": "ISO9001"}


def test_row_numbers_match_the_spreadsheet_and_blank_rows_are_skipped() -> None:
    data = f'{HEADER}\r\nE1,"two\nlines",sme,r\r\n,,,\r\n\r\nE2,b,sme,r\r\n'.encode()
    table = read_table(data, "f.csv")
    assert [number for number, _ in table.rows] == [2, 5]
    assert table.rows[0][1]["name"] == "two\nlines"


def test_short_rows_are_padded_and_cells_without_header_warned() -> None:
    data = b"id,name,,\r\nE1\r\nE2,b,,stray\r\n"
    table = read_table(data, "f.csv")
    assert table.header == ["id", "name"]
    assert table.rows[0][1] == {"id": "E1", "name": ""}
    assert table.warnings == ["column 4 has no name in row 1: its values are ignored"]


def test_header_only_gives_no_rows() -> None:
    assert read_table(HEADER.encode(), "f.csv").rows == []


@pytest.mark.parametrize("data", [b"", b"\r\n\r\nid,name\r\n", b",,\r\nE1,a\r\n"])
def test_row_one_must_be_the_header(data: bytes) -> None:
    with pytest.raises(FileFormatError, match="row 1 must hold the column names"):
        read_table(data, "f.csv")


def test_too_many_rows_is_an_error() -> None:
    data = (HEADER + "\n" + "E,a,sme,r\n" * 11).encode()
    assert len(read_table(data, "f.csv", max_rows=11).rows) == 11
    with pytest.raises(FileFormatError, match="too many rows: at most 10"):
        read_table(data, "f.csv", max_rows=10)


def test_too_many_xlsx_rows_is_an_error() -> None:
    data = xlsx_bytes(["id"], *[[f"E{i}"] for i in range(6)])
    with pytest.raises(FileFormatError, match="too many rows"):
        read_table(data, "f.xlsx", max_rows=5)


def test_malformed_csv_names_the_row() -> None:
    # Row 4 holds a cell beyond the field size limit (csv.field_size_limit, TableLimits.max_cell_chars).
    data = b'id,name\r\nE1,a\r\nE2,b\r\nE3,"' + b"x" * 200_000 + b'"\r\n'
    with pytest.raises(FileFormatError, match="row 4 has a cell of more than 32767 characters"):
        read_table(data, "f.csv")


def test_xlsx_cells_become_text() -> None:
    data = xlsx_bytes(
        ["id", "capacity", "price", "deadline", "stamp", "flag", "blank", "text"],
        ["E1", 1500000, 12.5, dt.date(2026, 12, 31), dt.datetime(2026, 1, 2, 15, 30),
         True, None, "-40℃ 耐低温"],
        ["E2", 3.0, 0.1, "2026-01-01", None, False, None, "00123"],
    )
    table = read_table(data, "Firms.XLSX")
    assert table.rows == [
        (2, {"id": "E1", "capacity": "1500000", "price": "12.5", "deadline": "2026-12-31",
             "stamp": "2026-01-02", "flag": "true", "blank": "", "text": "-40℃ 耐低温"}),
        (3, {"id": "E2", "capacity": "3", "price": "0.1", "deadline": "2026-01-01",
             "stamp": "", "flag": "false", "blank": "", "text": "00123"}),
    ]


def test_xlsx_reads_the_first_sheet_and_keeps_row_numbers_over_gaps() -> None:
    data = xlsx_bytes(["id", "name"], ["E1", "a"], None, [None, None], ["E4", "d"],
                      extra_sheet=True)
    table = read_table(data, "f.xlsx")
    assert [(n, r["id"]) for n, r in table.rows] == [(2, "E1"), (5, "E4")]


def test_xlsx_is_detected_by_magic_bytes_whatever_the_name() -> None:
    data = xlsx_bytes(["id"], ["E1"])
    assert read_table(data, "export.csv").rows == [(2, {"id": "E1"})]


@pytest.mark.parametrize(("data", "filename", "message"), [
    (b"id,name\r\n", "firms.xlsx", "not a valid XLSX workbook"),
    (b"PK\x03\x04garbage", "firms.bin", "not a valid XLSX workbook"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "firms.xls", "old .xls"),
    (b"%PDF-1.7", "firms.pdf", "unsupported file type '.pdf'"),
])
def test_unreadable_files_are_rejected_with_advice(data: bytes, filename: str,
                                                    message: str) -> None:
    with pytest.raises(FileFormatError, match=message):
        read_table(data, filename)
