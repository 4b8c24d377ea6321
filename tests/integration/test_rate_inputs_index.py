"""The localization rates' inputs read from the list index (services.rate_inputs) equal the graph's
(graph.localization's projection and graph.dashboard's totals, the reference): built, and through the
delta of newer writes; with contracts, drafts, closed items, an item in another chain and the
potential's verdicts (kept, and due after an edit)."""
from __future__ import annotations

import pytest

from graph import potential as potential_repo
from matchmaker.analytics.localization import breakdown
from matchmaker.services import rate_inputs
from matchmaker.services.dashboard import leader_projection
from tests.engagement_helpers import write_engagement
from tests.helpers import bearer
from tests.integration.test_localization_api import SHANGHAI, _demand
from tests.integration.test_localization_api import scene as localization_scene  # noqa: F401 - a fixture


@pytest.fixture
def scene(client, db, localization_scene):  # noqa: F811 - the imported fixture
    s = localization_scene
    write_engagement(db, s["d_b2"]["id"], s["local"]["id"], value=700, quantity=7)           # C of leader B
    write_engagement(db, s["d_a"]["id"], s["far"]["id"], value=9, quantity=1)                # not local: no C
    s["draft"] = _demand(client, s["tokens"]["b"], "草稿线束", 5, 100, SHANGHAI, status="draft")
    s["closed"] = _demand(client, s["tokens"]["b"], "已关闭订单", 2, 100, "510112", status="closed")
    s["rail"] = _demand(client, s["tokens"]["a"], "转向架铸件", 4, 1000, SHANGHAI, category="rail.bogie-castings")
    seq = potential_repo.current_seq(db)
    potential_repo.save(db, {s["d_a"]["id"]: True, s["rail"]["id"]: False}, seq, "2026-11-01T00:00:00Z")
    return s


def _figures(inputs, chain_id):
    out = breakdown(inputs.projection, chain_id)
    return {scope: ({k: f.as_dict() for k, f in figures.items()} if isinstance(figures, dict) else figures.as_dict())
            for scope, figures in out.items()}


def _verdicts(inputs):
    rows = [r for r in inputs.potential_rows if r.get("demand_id") and r["status"] == "published" and not r["served"]]
    return {r["demand_id"]: (bool(r["potential"]), bool(r["potential_due"])) for r in rows}


def _same(db, lists, chain_id):
    indexed, reference = rate_inputs.projection(db, chain_id, lists), rate_inputs.projection(db, chain_id)
    assert _figures(indexed, chain_id) == _figures(reference, chain_id)
    assert _verdicts(indexed) == _verdicts(reference)
    return indexed


def _build(app):
    lists = app.extensions["lists"]
    for kind in ("supply", "demand"):
        lists.build(kind)
    return lists


def test_the_index_gives_the_projection_the_graph_gives(app, client, db, scene):
    lists = _build(app)
    for chain_id in ("nev", "rail", None):
        _same(db, lists, chain_id)
    got = _verdicts(_same(db, lists, "nev"))
    assert got[scene["d_a"]["id"]] == (True, False)                # kept, current
    assert got[scene["rail"]["id"]] == (False, False)              # leader A's item in another chain
    assert got[scene["d_b2"]["id"]] == (False, True)               # never checked
    b = breakdown(rate_inputs.projection(db, "nev", lists).projection, "nev")["leaders"][scene["b"]["id"]]
    assert (b.total, b.local_value, b.contracted_value) == (1000 + 200, 300 + 200, 700)


def test_newer_writes_reach_the_figures_through_the_delta(app, client, db, scene):
    lists = _build(app)
    edited = client.patch(f"/api/v1/demand-items/{scene['d_a']['id']}", headers=bearer(scene["tokens"]["a"]),
                          json={"quantity": 100_000})
    assert edited.status_code == 200, edited.get_json()
    _demand(client, scene["tokens"]["b"], "新增线束", 10, 100, "510116")
    got = _verdicts(_same(db, lists, "nev"))
    assert got[scene["d_a"]["id"]] == (True, True)                 # edited after its check: due again
    _same(db, lists, None)


def test_the_dashboard_totals_from_the_index_equal_the_graph_totals(app, client, db, scene):
    lists = _build(app)
    _demand(client, scene["tokens"]["a"], "后来的需求", 1, 50, "510116")   # in the delta
    leaders, contracted = rate_inputs.leader_totals(db, lists)
    ref_leaders, ref_contracted = rate_inputs.leader_totals(db)
    by_id = {r["id"]: {**r, "chains": sorted(r["chains"])} for r in leaders}
    assert by_id == {r["id"]: {**r, "chains": sorted(r["chains"])} for r in ref_leaders}
    assert contracted == ref_contracted == {scene["b"]["id"]: 700.0}
    assert by_id[scene["b"]["id"]]["total"] == 1200 and by_id[scene["b"]["id"]]["local"] == 500
    targets = rate_inputs.projection(db).projection.targets
    assert breakdown(leader_projection(leaders, contracted, targets))["chains"]["nev"].as_dict() == \
        breakdown(leader_projection(ref_leaders, ref_contracted, targets))["chains"]["nev"].as_dict()
    coverage = rate_inputs.coverage_all(db, lists)
    assert {c: sorted(v, key=lambda r: r["id"]) for c, v in coverage.items()} == \
        {c: sorted(v, key=lambda r: r["id"]) for c, v in rate_inputs.coverage_all(db).items()}


def test_without_a_built_index_the_graph_answers(app, db, scene):
    lists = app.extensions["lists"]
    assert lists.catalog("demand").parts() is None
    assert _figures(rate_inputs.projection(db, "nev", lists), "nev") == _figures(rate_inputs.projection(db, "nev"),
                                                                                   "nev")


def _kept(inputs) -> set[str]:
    """The potential's ids when nothing is checked now: the kept local fits that are current."""
    return {i for i, (local, due) in _verdicts(inputs).items() if local and not due}


def test_every_chain_from_the_index_sums_equals_the_per_item_breakdown(app, client, db, scene):
    lists = _build(app)
    potential_repo.save(db, {scene["d_b2"]["id"]: True}, potential_repo.current_seq(db), "2026-11-02T00:00:00Z")
    _demand(client, scene["tokens"]["a"], "新的需求", 3, 10, SHANGHAI)      # in the delta
    reference = rate_inputs.projection(db)
    expected = breakdown(reference.projection, None, _kept(reference))
    got = rate_inputs.every_chain(db, lists)
    for scope in ("chains", "leaders"):
        assert {k: f.as_dict() for k, f in got[scope].items()} == {k: f.as_dict() for k, f in expected[scope].items()}
    a = got["leaders"][scene["a"]["id"]]
    assert a.potential_items == [scene["d_a"]["id"]]                 # d_b2 is contracted locally: not potential
    assert got["leaders"][scene["b"]["id"]].engagements and not got["leaders"][scene["b"]["id"]].potential_items
    edited = client.patch(f"/api/v1/demand-items/{scene['d_a']['id']}", headers=bearer(scene["tokens"]["a"]),
                          json={"quantity": 99_000})
    assert edited.status_code == 200
    assert rate_inputs.every_chain(db, lists)["leaders"][scene["a"]["id"]].potential_items == []   # due again
    assert rate_inputs.every_chain(db, lists, potential=False)["chains"]["nev"].potential_value == 0


def test_every_chain_through_the_api_is_the_same_with_and_without_the_index(app, client, db, scene):
    before = client.get("/api/v1/localization", headers=bearer(scene["official"])).get_json()["data"]
    _build(app)
    after = client.get("/api/v1/localization", headers=bearer(scene["official"])).get_json()["data"]
    assert after == before and rate_inputs.every_chain(db, app.extensions["lists"]) is not None
