"""The gap map's coverage from the list index's columns equals the graph's scan (graph.gaps.coverage, the
reference), built and through the delta of newer writes; without a built index the graph answers."""
from __future__ import annotations

import pytest

from graph import gaps as gap_repo
from matchmaker.services import gap_maps
from tests.integration.test_gap_map import CHAIN, _categories, _demand, _firm, _supply


@pytest.fixture
def scene(db):
    a, b, c = _categories(db)[:3]
    local, other, outside = (_firm(db, "GI-L1", "sme", "510116"), _firm(db, "GI-L2", "sme", "510112"),
                             _firm(db, "GI-O1", "sme", "310115"))
    leader = _firm(db, "GI-LEAD", "leader", "510100")
    _supply(db, "GI-S1", local, a)
    _supply(db, "GI-S2", local, a)                   # a second item of the same firm: one supplier
    _supply(db, "GI-S3", local, b, status="draft")   # a draft offers nothing yet
    _supply(db, "GI-S4", other, b)
    _supply(db, "GI-S5", outside, b)
    _demand(db, "GI-D1", leader, a, 100, 20)
    _demand(db, "GI-D2", leader, c, 1000, 500, current_supplier_region="510104")   # served locally
    _demand(db, "GI-D3", leader, c, 10, 10, status="closed")
    return a, b, c


def _by_id(rows: list[dict]) -> dict[str, dict]:
    return {r["id"]: r for r in rows}


def test_the_index_counts_what_the_graph_counts(app, db, scene):
    lists = app.extensions["lists"]
    for kind in ("supply", "demand"):
        lists.build(kind)
    reference = gap_repo.coverage(db, CHAIN)
    assert _by_id(gap_maps.coverage(db, CHAIN, lists)) == _by_id(reference)
    a, b, c = scene
    got = _by_id(reference)
    assert (got[a]["local_suppliers"], got[a]["supply_items"]) == (1, 2)
    assert (got[b]["local_suppliers"], got[b]["outside_suppliers"]) == (1, 1)
    assert (got[c]["demand_items"], got[c]["demand_value"], got[c]["served_locally"]) == (1, 500_000, 500_000)

    _supply(db, "GI-S6", "GI-O1", c)                 # newer than the index: its delta carries it
    _demand(db, "GI-D4", "GI-LEAD", b, 5, 10)
    assert _by_id(gap_maps.coverage(db, CHAIN, lists)) == _by_id(gap_repo.coverage(db, CHAIN))
    assert _by_id(gap_maps.coverage(db, CHAIN, lists))[c]["outside_suppliers"] == 1


def test_without_a_built_index_the_graph_answers(app, db, scene):
    assert app.extensions["lists"].catalog("supply").parts() is None
    assert _by_id(gap_maps.coverage(db, CHAIN, app.extensions["lists"])) == _by_id(gap_repo.coverage(db, CHAIN))


def test_the_index_gives_the_resilience_projection_the_graph_gives(app, db, scene):
    from matchmaker.services import resilience
    from tests.helpers import gen_user
    from matchmaker.services.permissions import Principal
    lists = app.extensions["lists"]
    for kind in ("supply", "demand"):
        lists.build(kind)
    _supply(db, "GI-S7", "GI-L2", scene[2])          # in the delta
    chain = gap_maps.chain_service.get_chain(db, CHAIN)
    categories, supplies, demands = resilience.projection(db, chain, lists)
    ref_categories, ref_supplies, ref_demands = resilience.projection(db, chain)
    assert sorted(categories) == sorted(ref_categories)
    assert sorted(supplies) == sorted(ref_supplies) and sorted(demands) == sorted(ref_demands)
    assert ("GI-LEAD", 500_000.0) in {(b, v) for k, b, v in demands if k == scene[2]}
    official = gen_user(db, "official")
    principal = Principal(official["id"], "official", None, official["email"])
    assert resilience.chain_resilience(db, principal, CHAIN, lists=lists) == resilience.chain_resilience(db, principal, CHAIN)
