"""The potential rate's stored verdicts on the real graph server: checked once and reused, checked
again after an edit, after the recheck period for a new supplier, within a request's budget, by one
keeper per host; the snapshot job completes them."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from graph import localization as localization_repo
from graph import potential as potential_repo
from matchmaker.services import potential
from matchmaker.services.potential import PotentialKeeper
from tests.helpers import bearer, firm_with_token, gen_enterprise, gen_token, gen_user

IGBT = {"name": "IGBT功率模块 750V 820A 车规级", "description": "双面散热塑封IGBT模块，用于电机控制器主驱逆变",
        "capacity": 50000, "unit": "pcs", "certifications": ["IATF16949"]}


def _post(client, path, token, body):
    response = client.post(path, json=body, headers=bearer(token))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["data"]


def _demand(client, token, name="车规级IGBT模块 750V"):
    return _post(client, "/api/v1/demand-items", token, {
        "name": name, "description": "主驱逆变器用IGBT功率模块，750V 820A，双面散热", "quantity": 10000,
        "unit": "pcs", "unit_price": 1200, "required_certifications": ["IATF16949"],
        "current_supplier_region": "310115"})


def _supplier(client, db, region):
    _, _, token = firm_with_token(db, "sme", region=region)
    return _post(client, "/api/v1/supply-items", token, IGBT)


@pytest.fixture
def leader(client, db):
    firm = gen_enterprise(db, role="leader", chains=["nev"], annual_procurement=100_000_000,
                          local_procurement=20_000_000)
    return {"firm": firm, "token": gen_token(db, gen_user(db, "leader", firm["id"])),
            "official": gen_token(db, gen_user(db, "official"))}


def _potential_items(client, official):
    response = client.get("/api/v1/chains/nev/localization", headers=bearer(official))
    assert response.status_code == 200, response.get_json()
    return response.get_json()["data"]["chain"]["potential_items"]


def test_a_verdict_is_kept_and_an_edit_makes_the_item_due_again(client, db, leader):
    _supplier(client, db, "510116")
    demand = _demand(client, leader["token"])
    assert potential_repo.count_due(db, "nev") == 1
    assert _potential_items(client, leader["official"]) == [demand["id"]]
    assert potential_repo.count_due(db, "nev") == 0          # the request kept its verdict
    assert _potential_items(client, leader["official"]) == [demand["id"]]

    edited = client.patch(f"/api/v1/demand-items/{demand['id']}", json={"name": "冷却水泵 12V",
                          "description": "电子水泵，用于电池热管理"}, headers=bearer(leader["token"]))
    assert edited.status_code == 200, edited.get_json()
    assert potential_repo.count_due(db, "nev") == 1
    assert _potential_items(client, leader["official"]) == []  # checked again: no local pump maker


def test_a_new_local_supplier_counts_once_the_verdict_is_redone(app, client, db, leader):
    _supplier(client, db, "310115")                               # only a supplier outside the region
    demand = _demand(client, leader["token"])
    assert _potential_items(client, leader["official"]) == []
    _supplier(client, db, "510116")
    # The item did not change, so its verdict stands until the recheck period has passed.
    assert _potential_items(client, leader["official"]) == []
    keeper = PotentialKeeper(db, app.extensions["matching"], app.config["VAR_DIR"] + "/potential", 3600)
    assert keeper.run_once() == 0
    assert keeper.run_once(datetime.now(timezone.utc) + timedelta(hours=2)) == 1
    assert _potential_items(client, leader["official"]) == [demand["id"]]


def test_a_request_checks_for_its_time_budget_and_the_job_completes_the_rest(app, client, db, leader,
                                                                             monkeypatch):
    _supplier(client, db, "510116")
    demands = [_demand(client, leader["token"], f"车规级IGBT模块 750V 批次{i}") for i in range(3)]
    runtime = app.extensions["matching"]
    monkeypatch.setattr(potential, "INLINE_BATCH", 1)
    rows = localization_repo.projection_rows(db, "nev")
    assert len(potential.ids_from_projection(db, runtime, rows, seconds=0)) == 1   # one batch, then out of time
    assert potential_repo.count_due(db, "nev") == 2
    potential.complete(db, runtime)
    assert potential_repo.count_due(db, "nev") == 0
    rows = localization_repo.projection_rows(db, "nev")
    assert potential.ids_from_projection(db, runtime, rows) == {d["id"] for d in demands}


def test_one_keeper_per_host(app, db, tmp_path):
    runtime = app.extensions["matching"]
    first, second = (PotentialKeeper(db, runtime, tmp_path / "potential", 3600) for _ in range(2))
    assert first.lock.acquire() and not second.lock.acquire()
    first.lock.release()
    assert second.lock.acquire()
    second.lock.release()


def test_the_snapshot_command_checks_every_due_item_first(app, client, db, leader, graph_server, monkeypatch):
    from graph import rate_snapshots as snapshot_repo
    for name in ("uri", "user", "password", "database"):
        monkeypatch.setenv(f"NEO4J_{name.upper()}", getattr(graph_server, name))
    _supplier(client, db, "510116")
    demand = _demand(client, leader["token"])
    result = app.test_cli_runner().invoke(args=["snapshot-rates", "--month", "2026-09"])
    assert result.exit_code == 0, result.output
    assert potential_repo.count_due(db, None) == 0
    [snapshot] = snapshot_repo.of_scope(db, "chain", ["nev"])["nev"]
    # 20 M declared local of 100 M, plus the 12 M demand item a local supplier fits.
    assert snapshot["rate"] == pytest.approx(0.2) and snapshot["potential"] == pytest.approx(0.32)
    assert _potential_items(client, leader["official"]) == [demand["id"]]


def test_the_keeper_reads_due_items_ahead_and_checks_them_as_they_are_now(app, client, db, leader, monkeypatch):
    _supplier(client, db, "510116")
    demands = [_demand(client, leader["token"], f"车规级IGBT模块 750V 批次{i}") for i in range(3)]
    monkeypatch.setattr(potential, "BATCH", 2)
    keeper = PotentialKeeper(db, app.extensions["matching"], app.config["VAR_DIR"] + "/potential", 3600)
    reads, due = [], potential_repo.due
    monkeypatch.setattr(potential_repo, "due", lambda *a, **k: reads.append(a) or due(*a, **k))
    assert keeper.run_once() == 2 and len(reads) == 1
    last = next(d for d in demands if d["id"] in keeper._queue)  # read ahead, not checked yet
    edited = client.patch(f"/api/v1/demand-items/{last['id']}", json={"name": "冷却水泵 12V",
                          "description": "电子水泵，用于电池热管理"}, headers=bearer(leader["token"]))
    assert edited.status_code == 200
    assert keeper.run_once() == 1 and len(reads) == 1      # from the read-ahead, without another search
    assert potential_repo.count_due(db, "nev") == 0
    rows = localization_repo.projection_rows(db, "nev")
    assert last["id"] not in potential.ids_from_projection(db, app.extensions["matching"], rows)  # its new text
    assert keeper.run_once() == 0 and len(reads) == 2
