"""Hostile files through the import API and the import page: a 4xx naming the problem, the graph unchanged.

The files come from bench/hostile_files.py (the ones bench/hostile_uploads.py measures). Formula-like
text is stored as written and neutralised in every export.
"""
from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from bench import hostile_files as hostile
from graph import enterprises as enterprise_repo
from graph import items as item_repo
from tests.helpers import bearer, firm_with_token, gen_token, gen_user, uid
from tests.integration.test_import_page import Page, text

FORMULAS = ["=cmd|' /C calc'!A0", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)"]


def counts(db) -> tuple[int, int, int]:
    return enterprise_repo.count(db), item_repo.count(db, "supply"), item_repo.count(db, "demand")


def post(client, token: str, content: bytes, filename: str, kind: str = "supply",
         content_type: str | None = None, **form):
    upload = (io.BytesIO(content), filename, content_type) if content_type else (io.BytesIO(content), filename)
    return client.post("/api/v1/imports", data={"kind": kind, "file": upload, **form}, headers=bearer(token),
                       content_type="multipart/form-data")


# (id, file, filename, declared content type, words the message must hold)
HOSTILE = [
    ("zip-bomb", hostile.zip_bomb_xlsx, "list.xlsx", None, "which looks like a zip bomb"),
    ("zip-too-big", lambda: hostile.zip_bomb_xlsx(201), "list.xlsx", None, "it unpacks to 201 MB (at most 200 MB)"),
    ("xfd-declared", hostile.xfd_xlsx, "list.xlsx", None, "declares columns up to XFD: a file may have at most 64"),
    ("xfd-undeclared", lambda: hostile.xfd_xlsx(declared=False), "list.xlsx", None, "row 2 has a cell in column XFD"),
    ("billion-laughs", hostile.entity_xlsx, "list.xlsx", None, "contains a DOCTYPE or ENTITY declaration"),
    ("renamed-xlsx", hostile.renamed_xlsx, "list.xlsx", None, "file is not a valid XLSX workbook"),
    ("text-as-xlsx", lambda: b"id,enterprise_id,name\r\nS1,E1,x\r\n", "list.xlsx", None,
     "file is not a valid XLSX workbook"),
    ("binary-csv", hostile.binary_csv, "list.csv", "text/csv", "file is not UTF-8 or GB18030 text"),
    ("html-type", lambda: b"<script>alert(1)</script>", "list.html", "text/html", "unsupported file type '.html'"),
    ("zip-as-csv", hostile.renamed_xlsx, "list.csv", "text/csv", "file is not a valid XLSX workbook"),
    ("empty", lambda: b"", "list.csv", "text/csv", "row 1 must hold the column names"),
    ("commas", lambda: hostile.commas_csv(5), "list.csv", "text/csv", "row 2 is longer than 4194368 characters"),
    ("legacy-xls", lambda: b"\xd0\xcf\x11\xe0" + b"\x00" * 512, "list.xls", None, "old .xls"),
]


@pytest.fixture
def firm(db):
    return firm_with_token(db)


@pytest.mark.parametrize("make, filename, content_type, words", [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_hostile_files_are_refused_by_the_api_and_change_nothing(client, db, firm, make, filename, content_type, words):
    _enterprise, _user, token = firm
    before = counts(db)
    response = post(client, token, make(), filename, content_type=content_type)
    assert response.status_code == 422, response.get_data(as_text=True)[:300]
    error = response.get_json()["error"]
    assert words in error["message"] and words in error["fields"]["file"][0]
    assert counts(db) == before


@pytest.mark.parametrize("make, filename, content_type, words",
                         [h[1:] for h in HOSTILE if h[0] in ("xfd-declared", "billion-laughs", "binary-csv", "empty")],
                         ids=["xfd-declared", "billion-laughs", "binary-csv", "empty"])
def test_hostile_files_are_refused_by_the_page_and_change_nothing(app, db, make, filename, content_type, words):
    enterprise = firm_with_token(db)[1]
    page = Page(app, enterprise)
    before = counts(db)
    response = page.preview("supply", make(), filename)
    assert response.status_code == 422 and words in text(response)
    assert "Import these rows" not in text(response) and counts(db) == before


def test_the_page_names_the_problem_in_chinese(app, db):
    page = Page(app, firm_with_token(db)[1], lang="zh")
    response = page.preview("supply", hostile.xfd_xlsx(declared=False), "list.xlsx")
    assert response.status_code == 422
    assert "第 2 行的 XFD 列有单元格" in text(response) and "最多 64 列" in text(response)


def test_a_file_of_bad_rows_gives_a_small_answer_and_stops_early(client, db, firm):
    _enterprise, _user, token = firm
    before = counts(db)
    response = post(client, token, hostile.bad_csv(200_000), "bad.csv")
    assert response.status_code == 422 and len(response.data) < 1_000_000
    report = response.get_json()["data"]
    assert len(report["errors"]) == 1000 and report["errors_total"] == 1000 and report["errors_omitted"] == 0
    assert report["stopped_at_row"] == 501 and report["rows"] == 500  # two errors a row
    assert "validation stopped at row 501 after 1000 errors" in report["warnings"][0]
    assert counts(db) == before


def test_valid_rows_mode_checks_every_row_but_keeps_1000_errors(client, db, firm):
    enterprise, _user, token = firm
    good = uid("S")
    content = hostile.bad_csv(3_000) + f"{good},{enterprise['id']},好产品,10\r\n".encode()
    response = post(client, token, content, "bad.csv", mode="valid_rows")
    assert response.status_code == 200
    report = response.get_json()["data"]
    assert report["rows"] == 3_001 and report["written"] == 1 and report["rejected"] == 3_000
    assert len(report["errors"]) == 1000 and report["errors_total"] == 6_000 and report["errors_omitted"] == 5_000
    assert report["stopped_at_row"] is None and item_repo.get(db, "supply", good)["name"] == "好产品"


def test_the_page_says_how_many_more_errors_and_why_it_stopped(app, db):
    page = Page(app, firm_with_token(db)[1])
    response = page.preview("supply", hostile.bad_csv(5_000), "bad.csv")
    shown = text(response)
    assert response.status_code == 200 and "… and 500 more errors" in shown
    assert "Validation stopped at row 501 after 1,000 errors" in shown
    assert shown.count("not a number:") == 250  # 500 errors shown: two a row


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig"])
def test_gb18030_and_bom_csv_import_correctly(client, db, firm, encoding):
    enterprise, _user, token = firm
    item_id = uid("S")
    content = f"编号,企业编号,名称,产能\r\n{item_id},{enterprise['id']},铝合金压铸壳体（精密）,\"1,200\"\r\n"
    response = post(client, token, content.encode(encoding), "清单.csv")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["data"]["written"] == 1
    item = item_repo.get(db, "supply", item_id)
    assert item["name"] == "铝合金压铸壳体（精密）" and item["capacity"] == 1200


def test_formula_cells_are_stored_literally_and_neutralised_in_exports(client, db, firm):
    enterprise, _user, token = firm
    ids = [uid("S") for _ in FORMULAS]
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["id", "enterprise_id", "name", "description"])
    writer.writerows([item_id, enterprise["id"], formula, formula] for item_id, formula in zip(ids, FORMULAS))
    assert post(client, token, rows.getvalue().encode(), "f.csv").status_code == 200
    assert [item_repo.get(db, "supply", i)["name"] for i in ids] == FORMULAS  # stored as written

    exported = client.get("/api/v1/exports/supply?format=csv", headers=bearer(token))
    cells = [row for row in csv.reader(io.StringIO(exported.data.decode("utf-8-sig"))) if row[0] in ids]
    assert sorted(c for row in cells for c in row[2:4]) == sorted("'" + f for f in FORMULAS * 2)

    exported = client.get("/api/v1/exports/supply?format=xlsx", headers=bearer(token))
    sheet = load_workbook(io.BytesIO(exported.data)).worksheets[0]
    texts = [c.value for row in sheet.iter_rows(min_row=2) if row[0].value in ids for c in row[2:4]]
    assert len(texts) == 8 and all(t.startswith("'") for t in texts)
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]  # no formula cells


def test_the_import_report_json_schema_fields_exist(client, db, firm):
    _enterprise, _user, token = firm
    report = post(client, token, b"id,enterprise_id,name\r\n", "f.csv").get_json()["data"]
    assert {"errors_total", "errors_omitted", "stopped_at_row", "warnings_total"} <= set(report)
    assert json.dumps(report)
