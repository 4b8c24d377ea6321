"""Imports for non-technical users: Chinese headers, templates, generated ids, chain conflicts."""
from __future__ import annotations

import io

from graph import items as item_repo
from tests.helpers import bearer, firm_with_token, uid


def _post(client, token, kind, content: bytes, filename: str, **form):
    data = {"kind": kind, "file": (io.BytesIO(content), filename), **form}
    return client.post("/api/v1/imports", data=data, headers=bearer(token), content_type="multipart/form-data")


def test_a_file_with_chinese_headers_imports_through_the_api(client, db):
    firm, _, token = firm_with_token(db, "sme")
    item = uid("S")
    content = ("编号,企业编号,产品名称,产能,单位,状态\n"
               f"{item},{firm['id']},铝合金压铸壳体,\"3,000\",件,published\n").encode("utf-8-sig")
    response = _post(client, token, "supply", content, "供给清单.csv")
    assert response.status_code == 200, response.get_json()
    report = response.get_json()["data"]
    assert report["written"] == 1 and report["warnings"] == []
    stored = item_repo.get(db, "supply", item)
    assert stored["name"] == "铝合金压铸壳体" and stored["capacity"] == 3000
