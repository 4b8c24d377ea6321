"""The matching evaluation set imports through the platform's own bulk import."""
from __future__ import annotations

from pathlib import Path

from graph import enterprises as enterprise_repo
from graph import items as item_repo
from matchmaker.services.imports import import_file
from tests.helpers import HOME

EVAL = Path(__file__).resolve().parents[2] / "seeds" / "matching_eval"
FILES = [("enterprises", "enterprises.csv"), ("supply", "supply.csv"), ("demand", "demand.csv")]


def _import(db, kind: str, filename: str):
    return import_file(db, kind, (EVAL / filename).read_bytes(), filename, home_region=HOME)


def test_every_row_imports_and_only_the_label_columns_warn(db):
    reports = {kind: _import(db, kind, filename) for kind, filename in FILES}
    for kind, report in reports.items():
        assert report.errors == [] and report.applied, (kind, report.errors[:5])
        assert report.written == report.rows, kind
    assert reports["enterprises"].warnings == [] and reports["supply"].warnings == []
    assert reports["demand"].warnings == ["unknown column 'kind' ignored", "unknown column 'split' ignored"]
    assert enterprise_repo.count(db) == reports["enterprises"].rows
    assert item_repo.count(db, "supply") == reports["supply"].rows
    assert item_repo.count(db, "demand") == reports["demand"].rows


def test_regions_certificates_and_items_arrive_as_written(db):
    for kind, filename in FILES:
        _import(db, kind, filename)
    local_sme = enterprise_repo.get(db, "MES-XINCHUANG")
    remote_sme = enterprise_repo.get(db, "MES-HUIDA")
    assert local_sme["local"] is True and local_sme["region_code"] == "510116"
    assert remote_sme["local"] is False
    assert "IATF16949@2025-09-30" in enterprise_repo.get(db, "MES-RONGDIAN")["certifications"]
    item = item_repo.get(db, "supply", "MS-NEV-05")
    assert item["name"].startswith("FF450R12ME4") and item["enterprise_id"] == "MES-HUIDA"
    assert item_repo.get(db, "demand", "MQ-081")["required_certifications"] == ["ISO22163"]
