"""The item write path refuses properties it does not know, before writing anything."""
from __future__ import annotations

import pytest

from graph import items as item_repo
from tests.helpers import gen_enterprise


def test_an_unknown_property_is_refused_and_nothing_is_written(db):
    firm = gen_enterprise(db, "sme")
    good = {"id": "T-GOOD", "enterprise_id": firm["id"], "props": {"name": "齿轮", "status": "published"}}
    bad = {"id": "T-BAD", "enterprise_id": firm["id"], "props": {"name": "轴承", "colour": "red"}}
    with pytest.raises(ValueError, match=r"supply item T-BAD: unknown properties \['colour'\]"):
        item_repo.upsert_many(db, "supply", [good, bad], "2026-11-21T00:00:00+00:00")
    assert item_repo.count(db, "supply") == 0


def test_a_demand_field_is_unknown_on_a_supply_item(db):
    firm = gen_enterprise(db, "sme")
    record = {"id": "T-Q", "enterprise_id": firm["id"], "props": {"name": "齿轮", "unit_price": 3.5}}
    with pytest.raises(ValueError, match="unit_price"):
        item_repo.upsert_many(db, "supply", [record], "2026-11-21T00:00:00+00:00")
    assert item_repo.get(db, "supply", "T-Q") is None
