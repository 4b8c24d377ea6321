"""Coverage counts over list-index parts built in memory (the pure side of the gap map's counts)."""
import numpy as np

from matchmaker.lists.columns import encode_rows
from matchmaker.lists.coverage import category_coverage
from matchmaker.lists.select import Part


def _part(rows: list[dict], live: list[bool] | None = None) -> Part:
    return Part(encode_rows(rows), np.array(live or [True] * len(rows)), [r["id"] for r in rows])


def _item(i, category, firm=None, local=None, status="published", value=None, served=None):
    return {"id": i, "category_id": category, "enterprise_id": firm, "local": local, "status": status,
            "value": value, "current_supplier_local": served}


def test_suppliers_are_counted_once_per_category_and_only_published_live_rows_count():
    supply = [_part([_item("s1", "a", "F1", True), _item("s2", "a", "F1", True), _item("s3", "a", "F2", False),
                     _item("s4", "b", "F3", None), _item("s5", "b", "F4", True, status="draft")]),
              _part([_item("s6", "b", "F5", True), _item("s7", "x", "F6", True)], live=[True, True]),
              _part([_item("s8", "b", "F7", True)], live=[False])]
    demand = [_part([_item("d1", "a", value=100.0), _item("d2", "a", value=50.0, served=True),
                     _item("d3", "b", value=None), _item("d4", "b", value=70.0, status="closed")])]
    got = category_coverage(supply, demand, ["a", "b", "c"])
    assert got["a"] == {"local_suppliers": 1, "outside_suppliers": 1, "supply_items": 3, "demand_items": 2,
                        "demand_value": 150.0, "served_locally": 50.0}
    assert got["b"] == {"local_suppliers": 1, "outside_suppliers": 1, "supply_items": 2, "demand_items": 1,
                        "demand_value": 0.0, "served_locally": 0.0}
    assert got["c"] == dict.fromkeys(got["c"], 0)
    assert category_coverage([], [], ["a"]) == {"a": dict.fromkeys(got["c"], 0)}


def test_category_pairs_name_each_firm_once_per_category_and_sum_each_buyers_demand():
    from matchmaker.lists.coverage import category_pairs
    supply = [_part([_item("s1", "a", "F1", False), _item("s2", "a", "F1", True), _item("s3", "b", "F2", None),
                     _item("s4", "b", "F3", True, status="withdrawn")]),
              _part([_item("s5", "x", "F4", True)])]
    demand = [_part([_item("d1", "a", "L1", value=10.0), _item("d2", "a", "L1", value=5.0),
                     _item("d3", "b", "L2", value=None)])]
    supplies, demands = category_pairs(supply, demand, ["a", "b"])
    assert sorted(supplies) == [("a", "F1", True), ("b", "F2", False)]
    assert sorted(demands) == [("a", "L1", 15.0), ("b", "L2", 0.0)]
