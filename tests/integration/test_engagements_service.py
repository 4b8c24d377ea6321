"""The engagement service on the real graph server: invitation to contract, refused moves, history."""
from __future__ import annotations

import pytest

from graph import engagements as repo
from matchmaker.docking import engagements as service
from matchmaker.errors import Conflict, Forbidden, Invalid
from matchmaker.services import items as item_service
from matchmaker.services.permissions import Principal
from tests.helpers import HOME, SYSTEM, gen_enterprise, gen_user


def _principal(user: dict) -> Principal:
    return Principal(user["id"], user["role"], user.get("enterprise_id"), user["email"])


@pytest.fixture
def market(db):
    leader, sme, other_sme = gen_enterprise(db, "leader"), gen_enterprise(db, "sme"), gen_enterprise(db, "sme")
    people = {"leader": gen_user(db, "leader", leader["id"]), "sme": gen_user(db, "sme", sme["id"]),
              "other_sme": gen_user(db, "sme", other_sme["id"]), "official": gen_user(db, "official")}
    demand = item_service.create_item(db, SYSTEM, "demand", {
        "enterprise_id": leader["id"], "name": "车规级IGBT模块", "category": "nev.gears", "status": "published",
        "quantity": 1000, "unit_price": 50}, HOME)
    draft = item_service.create_item(db, SYSTEM, "demand", {
        "enterprise_id": leader["id"], "name": "草稿需求", "category": "nev.gears", "status": "draft"}, HOME)
    supply = item_service.create_item(db, SYSTEM, "supply", {
        "enterprise_id": sme["id"], "name": "齿轮", "category": "nev.gears", "status": "published"}, HOME)
    who = {k: _principal(u) for k, u in people.items()}
    return {"leader": leader, "sme": sme, "other_sme": other_sme, "who": who, "demand": demand, "draft": draft,
            "supply": supply}


def test_invitation_to_contract_keeps_every_step(db, market):
    who = market["who"]
    made = service.invite(db, who["leader"], market["demand"]["id"], market["sme"]["id"], market["supply"]["id"],
                          note="请报价")
    assert made["status"] == "invited" and made["version"] == 1 and made["id"].startswith("G-")
    assert made["leader_id"] == market["leader"]["id"] and made["chain_id"] == market["demand"]["chain_id"]
    eid = made["id"]
    service.move(db, who["sme"], eid, "accepted", note="ok")
    service.move(db, who["leader"], eid, "samples")
    done = service.move(db, who["official"], eid, "contracted", quantity=1000, value=50000, start_date="2027-01-01")
    assert done["status"] == "contracted" and done["value"] == 50000 and done["proxy"] is True
    fixed = service.correct_contract(db, who["leader"], eid, value=60000, note="修正")
    assert fixed["value"] == 60000 and fixed["quantity"] == 1000 and fixed["version"] == 5
    steps = [(e["from_status"], e["to_status"]) for e in fixed["history"]]
    assert steps == [(None, "invited"), ("invited", "accepted"), ("accepted", "samples"),
                     ("samples", "contracted"), ("contracted", "contracted")]
    assert [e["n"] for e in fixed["history"]] == [1, 2, 3, 4, 5]
    assert fixed["history"][3]["proxy"] is True and fixed["history"][3]["by_role"] == "official"
    assert fixed["history"][3]["value"] == 50000 and fixed["history"][4]["value"] == 60000
    assert fixed["history"][0]["note"] == "请报价"


def test_refused_moves_change_nothing(db, market):
    who = market["who"]
    eid = service.invite(db, who["leader"], market["demand"]["id"], market["sme"]["id"])["id"]
    before = (repo.get(db, eid), repo.history(db, eid))
    with pytest.raises(Forbidden) as wrong_side:
        service.move(db, who["leader"], eid, "accepted")
    assert wrong_side.value.extra["allowed"] == ["closed"]
    with pytest.raises(Conflict) as wrong_stage:
        service.move(db, who["sme"], eid, "contracted", quantity=1, value=1, start_date="2027-01-01")
    assert wrong_stage.value.extra["allowed"] == ["accepted", "declined", "closed"]
    assert "已接受" in wrong_stage.value.extra["messages"]["zh"]
    with pytest.raises(Forbidden):
        service.move(db, who["other_sme"], eid, "accepted")
    with pytest.raises(Invalid) as no_reason:
        service.move(db, who["sme"], eid, "declined")
    assert "reason" in no_reason.value.fields
    with pytest.raises(service.StaleVersion):
        service.move(db, who["sme"], eid, "accepted", expected_version=7)
    assert (repo.get(db, eid), repo.history(db, eid)) == before


def test_a_second_invitation_of_an_active_pair_is_a_conflict_naming_the_first(db, market):
    who = market["who"]
    first = service.invite(db, who["leader"], market["demand"]["id"], market["sme"]["id"])
    with pytest.raises(Conflict) as again:
        service.invite(db, who["official"], market["demand"]["id"], market["sme"]["id"])
    assert again.value.extra == {"existing": first["id"], "url": f"/api/v1/engagements/{first['id']}"}
    service.move(db, who["sme"], first["id"], "declined", reason="capacity")
    second = service.invite(db, who["leader"], market["demand"]["id"], market["sme"]["id"])
    assert second["id"] != first["id"]


def test_invitation_checks(db, market):
    who = market["who"]
    cases = [({"demand_id": market["draft"]["id"]}, "demand_item_id"),
             ({"supplier_id": market["leader"]["id"]}, "supplier_id"),
             ({"supplier_id": "E-nope"}, "supplier_id"),
             ({"supply_item_id": market["supply"]["id"], "supplier_id": market["other_sme"]["id"]}, "supply_item_id")]
    for change, field in cases:
        args = {"demand_id": market["demand"]["id"], "supplier_id": market["sme"]["id"], **change}
        with pytest.raises(Invalid) as refused:
            service.invite(db, who["leader"], **args)
        assert field in refused.value.fields, (change, refused.value.fields)
    with pytest.raises(Forbidden):
        service.invite(db, who["sme"], market["demand"]["id"], market["other_sme"]["id"])
    assert repo.search(db, {}, 0, 10)[1] == 0


def test_search_scopes(db, market):
    who = market["who"]
    eid = service.invite(db, who["leader"], market["demand"]["id"], market["sme"]["id"])["id"]
    assert [e["id"] for e in service.search(db, who["leader"], {}).items] == [eid]
    assert [e["id"] for e in service.search(db, who["sme"], {}).items] == [eid]
    assert service.search(db, who["other_sme"], {}).items == []
    assert service.search(db, who["official"], {"status": "invited", "chain": market["demand"]["chain_id"]}).total == 1
    assert service.search(db, who["official"], {"status": "accepted"}).total == 0
