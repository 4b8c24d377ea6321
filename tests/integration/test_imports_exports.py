"""Bulk import and export: API, CLI, round trips, bad rows change nothing."""
from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from graph import enterprises as enterprise_repo
from graph import items as item_repo
from matchmaker.tabular import parse_rows, read_table
from tests.helpers import bearer, firm_with_token, gen_token, gen_user, uid

PROJECT = Path(__file__).resolve().parents[2]
ENTERPRISES = ("id,name,role,region,chains,tier,certifications,annual_procurement,local_procurement\n"
               "{a},成都精密压铸有限公司,sme,成都市双流区,汽车;NEV,little_giant,IATF16949@2030-01-01,,\n"
               "{b},车企成都,leader,510112,新能源汽车,,,\"1,000,000,000\",400000000\n")


def _post(client, token, kind, content: bytes, filename: str, **form):
    data = {"kind": kind, "file": (io.BytesIO(content), filename), **form}
    return client.post("/api/v1/imports", data=data, headers=bearer(token), content_type="multipart/form-data")


def _official(db):
    return gen_token(db, gen_user(db, "official"))


def test_clean_enterprise_file_imports_and_reimport_is_a_no_op(client, db):
    token, a, b = _official(db), uid("E"), uid("E")
    content = ENTERPRISES.format(a=a, b=b).encode("utf-8-sig")
    first = _post(client, token, "enterprises", content, "firms.csv")
    assert first.status_code == 200, first.get_json()
    report = first.get_json()["data"]
    assert report["written"] == 2 and report["applied"] and report["errors"] == []
    firm = enterprise_repo.get(db, a)
    assert firm["local"] is True and firm["region_code"] == "510116" and firm["chain_ids"] == ["nev"]
    leader = enterprise_repo.get(db, b)
    assert leader["annual_procurement"] == 1_000_000_000
    again = _post(client, token, "enterprises", content, "firms.csv").get_json()["data"]
    assert again["written"] == 2 and enterprise_repo.count(db) == 2


def test_a_bad_row_rejects_the_whole_file_unless_valid_rows(client, db):
    token = _official(db)
    content = ("id,name,role,region\n"
               f"{uid()},好企业,sme,成都市郫都区\n"
               f"{uid()},坏区域,sme,火星市\n"
               f"{uid()},坏角色,supplier,510116\n").encode()
    refused = _post(client, token, "enterprises", content, "firms.csv")
    assert refused.status_code == 422
    report = refused.get_json()["data"]
    assert report["applied"] is False and report["written"] == 0
    assert {(e["row"], e["column"]) for e in report["errors"]} == {(3, "region"), (4, "role")}
    assert enterprise_repo.count(db) == 0  # nothing stored

    accepted = _post(client, token, "enterprises", content, "firms.csv", mode="valid_rows").get_json()["data"]
    assert accepted["written"] == 1 and enterprise_repo.count(db) == 1


def test_dry_run_previews_without_writing(client, db):
    token = _official(db)
    content = ENTERPRISES.format(a=uid(), b=uid()).encode()
    report = _post(client, token, "enterprises", content, "firms.csv", dry_run="true").get_json()["data"]
    assert report["accepted"] == 2 and report["written"] == 0 and enterprise_repo.count(db) == 0


def test_firm_imports_only_its_own_items(client, db):
    sme, _, token = firm_with_token(db, "sme")
    other, _, _ = firm_with_token(db, "sme")
    content = ("id,enterprise_id,name,category,capacity\n"
               f"{uid('S')},{sme['id']},压铸件,nev.lightweight-castings,100\n"
               f"{uid('S')},{other['id']},别人的产品,,5\n").encode()
    report = _post(client, token, "supply", content, "supply.csv").get_json()["data"]
    assert [(e["row"], e["column"]) for e in report["errors"]] == [(3, "enterprise_id")]
    assert item_repo.count(db, "supply") == 0
    refused = _post(client, token, "enterprises", ENTERPRISES.format(a=uid(), b=uid()).encode(), "f.csv")
    assert refused.status_code == 403


def test_unreadable_file_and_missing_fields_are_named(client, db):
    token = _official(db)
    bad = _post(client, token, "supply", b"\xff\xfe\x00garbage", "x.csv")
    assert bad.status_code == 422 and "file" in bad.get_json()["error"]["fields"]
    no_file = client.post("/api/v1/imports", data={"kind": "supply"}, headers=bearer(token))
    assert no_file.status_code == 422 and "file" in no_file.get_json()["error"]["fields"]
    bad_kind = _post(client, token, "widgets", b"id\n1\n", "x.csv")
    assert bad_kind.status_code == 422 and "kind" in bad_kind.get_json()["error"]["fields"]
    anonymous = client.post("/api/v1/imports", data={"kind": "supply"})
    assert anonymous.status_code == 401


def test_upload_over_the_size_limit_is_refused(app, db):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    token = _official(db)
    response = _post(app.test_client(), token, "supply", b"x" * 4096, "big.csv")
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "request_entity_too_large"


def test_xlsx_export_reimports_unchanged(client, db):
    token = _official(db)
    sme, _, sme_token = firm_with_token(db, "sme")
    client.post("/api/v1/supply-items", headers=bearer(sme_token), json={
        "name": "=HYPERLINK(\"x\") 压铸件", "description": "-40℃ 耐低温; A380", "capacity": 1200.5,
        "category": "nev.lightweight-castings", "certifications": ["IATF16949@2030-01-01"]})
    exported = client.get("/api/v1/exports/supply", query_string={"format": "xlsx", "chain": "汽车"})
    assert exported.status_code == 200
    assert "attachment" in exported.headers["Content-Disposition"]
    records = [r for _, r in parse_rows("supply", read_table(exported.data, "supply.xlsx")).valid]
    assert records[0]["name"].startswith("=HYPERLINK") and records[0]["capacity"] == 1200.5
    before = item_repo.get(db, "supply", records[0]["id"])
    report = _post(client, token, "supply", exported.data, "supply.xlsx").get_json()["data"]
    assert report["errors"] == [] and report["written"] == 1
    after = item_repo.get(db, "supply", records[0]["id"])
    fields = ("name", "description", "capacity", "category_id", "certifications", "status", "enterprise_id")
    assert {k: after[k] for k in fields} == {k: before[k] for k in fields}


def test_export_hides_procurement_from_firms(client, db):
    token = _official(db)
    _post(client, token, "enterprises", ENTERPRISES.format(a=uid(), b=uid()).encode(), "f.csv")
    public = client.get("/api/v1/exports/enterprises").data.decode("utf-8-sig")
    official = client.get("/api/v1/exports/enterprises", headers=bearer(token)).data.decode("utf-8-sig")
    assert "1000000000" in official and "1000000000" not in public
    bad = client.get("/api/v1/exports/supply", query_string={"format": "pdf"})
    assert bad.status_code == 422 and "format" in bad.get_json()["error"]["fields"]


def _cli(*args, env_extra: dict, cwd=PROJECT):
    env = {**os.environ, **env_extra}
    return subprocess.run([sys.executable, "-m", "matchmaker", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=180)


def test_cli_import_reports_rows_and_changes_nothing_on_error(graph_server, db, tmp_path):
    env = {"NEO4J_URI": graph_server.uri, "NEO4J_USER": graph_server.user,
           "NEO4J_PASSWORD": graph_server.password, "NEO4J_DATABASE": graph_server.database,
           "VAR_DIR": str(tmp_path)}
    bad = tmp_path / "firms.csv"
    bad.write_text(f"id,name,role,region\n{uid()},好企业,sme,510116\n{uid()},坏企业,sme,火星市\n", encoding="utf-8")
    result = _cli("import", "--kind", "enterprises", str(bad), env_extra=env)
    assert result.returncode == 1
    assert "rejected: row 3, column region" in result.stderr and "nothing was imported" in result.stderr
    assert enterprise_repo.count(db) == 0
    result = _cli("import", "--kind", "enterprises", "--mode", "valid_rows", str(bad), env_extra=env)
    assert result.returncode == 0 and "1 written" in result.stdout
    assert enterprise_repo.count(db) == 1
    missing = _cli("import", "--kind", "widgets", str(bad), env_extra=env)
    assert missing.returncode == 2 and "widgets" in missing.stderr
