"""Writing CSV/XLSX exports, formula-injection guard, and write-read-parse round trips."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from matchmaker.tabular import COLUMNS, parse_rows, read_table, write_csv, write_xlsx
from matchmaker.tabular.cells import neutralise, unneutralise

ENTERPRISES = [
    {"id": "91510100MA6C5XXX1X", "name": "成都某某汽车零部件有限公司", "name_en": "Chengdu Parts",
     "role": "leader", "tier": "none", "region": "成都市双流区", "chains": ["汽车", "NEV"],
     "certifications": ["IATF16949@2027-06-30", "ISO9001"],
     "annual_procurement": 1_500_000.75, "local_procurement": 250_000,
     "description": "-40℃ 耐低温\n第二行", "contact_person": "张三", "phone": "+86 28 8888 6666",
     "email": "sales@example.cn", "website": "https://www.example.cn"},
    {"id": "00123", "name": "=HYPERLINK(\"http://x\")", "name_en": None, "role": "sme",
     "tier": "little_giant", "region": "510116", "chains": [], "certifications": [],
     "annual_procurement": None, "local_procurement": None, "description": "'=already",
     "contact_person": None, "phone": None, "email": None, "website": None},
]
SUPPLY = [
    {"id": "S-1", "enterprise_id": "00123", "name": "+86 钛合金锻件", "description": "@home",
     "category": "航空;锻件", "chain": "航空航天", "capacity": 12.5, "unit": "t",
     "certifications": ["AS9100D"], "status": "draft"},
]
DEMAND = [
    {"id": "D-1", "enterprise_id": "91510100MA6C5XXX1X", "name": "线束总成",
     "description": None, "category": None, "chain": "新能源汽车", "quantity": 1_000_000,
     "unit": "套", "unit_price": 0.1, "required_certifications": ["IATF16949", "ISO14001"],
     "prefer_local": False, "current_supplier_region": "江苏省苏州市",
     "deadline": "2026-12-31", "status": "closed"},
]
RECORDS = {"enterprises": ENTERPRISES, "supply": SUPPLY, "demand": DEMAND}


@pytest.mark.parametrize("kind", list(RECORDS))
@pytest.mark.parametrize(("write", "filename"), [(write_csv, "out.csv"), (write_xlsx, "out.xlsx")])
def test_round_trip_gives_back_identical_records(kind, write, filename) -> None:
    result = parse_rows(kind, read_table(write(kind, RECORDS[kind]), filename))
    assert result.errors == [] and result.warnings == []
    assert [record for _, record in result.valid] == RECORDS[kind]
    assert [n for n, _ in result.valid] == list(range(2, 2 + len(RECORDS[kind])))


def test_csv_layout() -> None:
    data = write_csv("demand", DEMAND)
    assert data.startswith(b"\xef\xbb\xbf")
    header, row, end = data.decode("utf-8-sig").split("\r\n")
    assert header == ",".join(c.name for c in COLUMNS["demand"])
    assert row == ("D-1,91510100MA6C5XXX1X,线束总成,,,新能源汽车,1000000,套,0.1,"
                   "IATF16949;ISO14001,false,江苏省苏州市,2026-12-31,closed")
    assert end == ""


def test_csv_of_no_records_is_just_the_header() -> None:
    assert write_csv("supply", []).decode("utf-8-sig").strip() == \
        ",".join(c.name for c in COLUMNS["supply"])


def test_missing_keys_and_integral_floats() -> None:
    text = write_csv("supply", [{"id": "S", "capacity": 3000.0}]).decode("utf-8-sig")
    assert text.splitlines()[1] == "S,,,,,,3000,,,"


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "'=x"])
def test_formula_like_text_is_neutralised_in_csv(text: str) -> None:
    data = write_csv("supply", [{"id": "S", "name": text}]).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data, newline="")))
    assert rows[1][2] == "'" + text


def test_xlsx_writes_text_guarded_and_numbers_as_numbers() -> None:
    workbook = load_workbook(io.BytesIO(write_xlsx("enterprises", ENTERPRISES)))
    sheet = workbook.worksheets[0]
    assert sheet.title == "enterprises"
    assert [c.value for c in sheet[1]] == [c.name for c in COLUMNS["enterprises"]]
    first, second = sheet[2], sheet[3]
    assert (first[8].value, first[8].data_type) == (1_500_000.75, "n")
    assert (first[10].value, first[10].data_type) == ("'-40℃ 耐低温\n第二行", "s")
    assert (second[1].value, second[1].data_type) == ("'=HYPERLINK(\"http://x\")", "s")
    assert (second[0].value, second[0].data_type) == ("00123", "s")
    assert second[2].value is None


def test_xlsx_drops_characters_excel_cannot_hold() -> None:
    data = write_xlsx("supply", [{"id": "S", "name": "a\x01b"}])
    assert read_table(data, "f.xlsx").rows[0][1]["name"] == "ab"


@pytest.mark.parametrize("text", ["", "'", "''", "=x", "'=x", "''=x", "'''-x", "a=b",
                                  "'abc", "@", "-", "\t", "中文", "'中文"])
def test_unneutralise_inverts_neutralise(text: str) -> None:
    assert unneutralise(neutralise(text)) == text
    assert not neutralise(text).startswith(("=", "+", "-", "@", "\t", "\r"))
