"""The synthetic data generator: deterministic, bilingual, consistent with the taxonomy."""
from __future__ import annotations

from matchmaker.regions import RegionTable
from matchmaker.services.generator import Generator, Plan
from matchmaker.services.taxonomy import read_taxonomy


def _rows(plan: Plan):
    g = Generator(plan, read_taxonomy(), RegionTable.load(), "510100")
    enterprises = [e for batch in g.enterprise_batches(70) for e in batch]
    items = [(k, i) for k, batch in g.item_batches(70) for i in batch]
    return enterprises, items


def test_same_seed_same_rows_other_seed_other_rows():
    assert _rows(Plan(200, 500, 7)) == _rows(Plan(200, 500, 7))
    assert _rows(Plan(200, 500, 7))[0][10]["name"] != _rows(Plan(200, 500, 8))[0][10]["name"] or \
        _rows(Plan(200, 500, 7))[0][10]["region_code"] != _rows(Plan(200, 500, 8))[0][10]["region_code"]


def test_counts_ids_and_ownership():
    enterprises, items = _rows(Plan(200, 1000, 3))
    assert len(enterprises) == 200 and len(items) == 1000
    assert len({e["id"] for e in enterprises}) == 200 and len({i["id"] for _, i in items}) == 1000
    roles = {e["id"]: e["role"] for e in enterprises}
    assert sum(r == "leader" for r in roles.values()) == Plan(200, 1000, 3).leaders
    for kind, item in items:
        assert roles[item["enterprise_id"]] == ("leader" if kind == "demand" else "sme")
    share = sum(k == "supply" for k, _ in items) / len(items)
    assert 0.5 < share < 0.7


def test_rows_are_bilingual_and_fit_the_taxonomy():
    taxonomy = read_taxonomy()
    categories = {c["id"]: c for c in taxonomy.categories}
    enterprises, items = _rows(Plan(100, 300, 1))
    regions = RegionTable.load()
    for e in enterprises:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in e["name"]) and e["name_en"].isascii()
        assert regions.get(e["region_code"]) is not None
        assert e["local"] == regions.is_within(e["region_code"], "510100")
    for kind, item in items:
        props = item["props"]
        category = categories[props["category_id"]]
        assert props["chain_id"] == category["chain_id"] and props["segment_id"] == category["segment_id"]
        assert category["name_zh"] in props["name"]
        if kind == "demand":
            assert props["value"] == round(props["quantity"] * props["unit_price"], 2)
