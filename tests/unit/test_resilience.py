"""A chain's resilience on hand-drawn graphs: single sources, critical suppliers, exposed leaders, completeness."""
from __future__ import annotations

import pytest

from matchmaker.analytics.resilience import (build_graph, completeness, critical_suppliers, exposed_leaders,
                                             resilience, single_sources)

# Categories:  a: L1 (local) only            -> single source, local; L1 critical
#              b: X1 (outside) only           -> single source, outside; buyers exposed
#              c: L1, L2 (local), X1          -> covered
#              d: nobody                      -> gap, no single source
#              e: L2 (local) + X2 (outside)   -> not single, but L2 its only local supplier: L2 critical
# Demand:      P buys a 100, b 300, d 50;  Q buys b 200 (twice: 150 + 50), e 1000
CATEGORIES = ["a", "b", "c", "d", "e"]
SUPPLIES = [("a", "L1", True), ("b", "X1", False), ("c", "L1", True), ("c", "L2", True), ("c", "X1", False),
            ("e", "L2", True), ("e", "X2", False), ("zz", "L9", True)]
DEMANDS = [("a", "P", 100), ("b", "P", 300), ("d", "P", 50), ("b", "Q", 150), ("b", "Q", 50), ("e", "Q", 1000),
           ("zz", "P", 99)]


@pytest.fixture
def g():
    return build_graph(CATEGORIES, SUPPLIES, DEMANDS)


def test_single_sources_say_whether_the_one_supplier_is_local(g):
    assert single_sources(g) == [
        {"category": "b", "supplier": "X1", "local": False, "demand_value": 500.0},
        {"category": "a", "supplier": "L1", "local": True, "demand_value": 100.0}]


def test_critical_suppliers_are_the_only_local_supplier_ranked_by_value_at_stake(g):
    assert critical_suppliers(g) == [
        {"supplier": "L2", "gaps": 1, "categories": ["e"], "demand_value": 1000.0},
        {"supplier": "L1", "gaps": 1, "categories": ["a"], "demand_value": 100.0}]
    assert critical_suppliers(g, limit=1)[0]["supplier"] == "L2"


def test_exposed_leaders_count_only_outside_single_sources(g):
    assert exposed_leaders(g) == [
        {"leader": "P", "exposed_value": 300.0, "categories": ["b"], "demand_value": 450.0, "share": 300 / 450},
        {"leader": "Q", "exposed_value": 200.0, "categories": ["b"], "demand_value": 1200.0, "share": 200 / 1200}]


def test_completeness_is_the_share_of_categories_with_local_supply(g):
    assert completeness(g) == {"categories": 5, "with_local_supply": 3, "index": 0.6}


def test_losing_one_of_two_local_suppliers_opens_no_gap():
    g = build_graph(["k"], [("k", "A", True), ("k", "B", True)], [("k", "P", 10)])
    assert critical_suppliers(g) == [] and single_sources(g) == [] and exposed_leaders(g) == []


def test_a_critical_supplier_of_several_categories_adds_them_up():
    g = build_graph(["k", "m", "n"], [("k", "A", True), ("m", "A", True), ("n", "B", True)],
                    [("k", "P", 10), ("m", "P", 5), ("n", "P", 12)])
    assert [(r["supplier"], r["gaps"], r["demand_value"]) for r in critical_suppliers(g)] == \
        [("A", 2, 15.0), ("B", 1, 12.0)]


def test_a_firm_both_supplying_and_buying_is_one_node():
    g = build_graph(["k", "m"], [("k", "A", False)], [("k", "A", 7), ("m", "A", 3)])
    assert exposed_leaders(g)[0]["share"] == 0.7


def test_an_empty_chain_has_no_index():
    out = resilience(build_graph([], [], []))
    assert out == {"completeness": {"categories": 0, "with_local_supply": 0, "index": None},
                   "single_sources": [], "critical_suppliers": [], "exposed_leaders": []}
