"""Engagements through the API with a leader's, an SME's and an official's tokens: invitation to contract,
refused moves (wrong account, wrong stage, second invitation, stale version) that change nothing,
history showing every step, bad input."""
from __future__ import annotations

import pytest

from tests.helpers import bearer, firm_with_token, gen_token, gen_user

PATH = "/api/v1/engagements"


@pytest.fixture
def world(client, db):
    leader, _, leader_token = firm_with_token(db, "leader")
    sme, _, sme_token = firm_with_token(db, "sme")
    _, _, other_token = firm_with_token(db, "sme")
    official_token = gen_token(db, gen_user(db, "official"))
    demand = client.post("/api/v1/demand-items", headers=bearer(leader_token),
                         json={"name": "车规级IGBT模块 750V", "quantity": 1000, "unit": "pcs", "unit_price": 900})
    assert demand.status_code == 201, demand.get_json()
    supply = client.post("/api/v1/supply-items", headers=bearer(sme_token),
                         json={"name": "IGBT功率模块", "capacity": 5000, "unit": "pcs"})
    assert supply.status_code == 201, supply.get_json()
    return {"leader": bearer(leader_token), "sme": bearer(sme_token), "other": bearer(other_token),
            "official": bearer(official_token), "demand": demand.get_json()["data"], "sme_id": sme["id"],
            "leader_id": leader["id"], "supply": supply.get_json()["data"]}


def _invite(client, w, who="leader", **extra):
    body = {"demand_item_id": w["demand"]["id"], "supplier_id": w["sme_id"], **extra}
    return client.post(PATH, headers=w[who], json=body)


def _patch(client, w, who, eid, **body):
    return client.patch(f"{PATH}/{eid}", headers=w[who], json=body)


def _state(client, w, eid):
    answer = client.get(f"{PATH}/{eid}", headers=w["official"])
    assert answer.status_code == 200
    return answer.get_json()["data"]


def test_invitation_to_contract_through_the_api(client, world):
    w = world
    made = _invite(client, w, supply_item_id=w["supply"]["id"], note="请报价")
    assert made.status_code == 201, made.get_json()
    eid = made.get_json()["data"]["id"]
    assert made.headers["Location"] == f"{PATH}/{eid}" and made.headers["ETag"] == '"1"'
    assert made.get_json()["data"]["allowed_moves"] == ["closed"]
    seen = client.get(f"{PATH}/{eid}", headers=w["sme"]).get_json()["data"]
    assert seen["allowed_moves"] == ["accepted", "declined", "closed"] and seen["side"] == "supplier"
    steps = [("sme", {"status": "accepted", "note": "有兴趣"}), ("leader", {"status": "contact"}),
             ("official", {"status": "samples", "note": "代企业登记"}), ("leader", {"status": "qualification"}),
             ("leader", {"status": "contracted", "quantity": 1000, "value": 900000, "start_date": "2027-01-01"}),
             ("official", {"status": "contracted", "value": 950000, "note": "金额更正"})]
    for n, (who, body) in enumerate(steps, start=2):
        moved = client.patch(f"{PATH}/{eid}", headers={**w[who], "If-Match": f'"{n - 1}"'}, json=body)
        assert moved.status_code == 200, (who, body, moved.get_json())
        assert moved.headers["ETag"] == f'"{n}"'
    final = client.get(f"{PATH}/{eid}", headers=w["leader"]).get_json()["data"]
    assert final["status"] == "contracted" and final["value"] == 950000 and final["quantity"] == 1000
    assert final["start_date"] == "2027-01-01" and final["may_correct"] is True and final["allowed_moves"] == []
    history = final["history"]
    assert [(e["from_status"], e["to_status"]) for e in history] == [
        (None, "invited"), ("invited", "accepted"), ("accepted", "contact"), ("contact", "samples"),
        ("samples", "qualification"), ("qualification", "contracted"), ("contracted", "contracted")]
    assert [e["proxy"] for e in history] == [False, False, False, True, False, False, True]
    assert [e["by_role"] for e in history] == ["leader", "sme", "leader", "official", "leader", "leader", "official"]
    assert history[0]["note"] == "请报价" and history[5]["value"] == 900000 and history[6]["value"] == 950000
    listed = client.get(PATH, headers=w["sme"], query_string={"status": "contracted"}).get_json()
    assert listed["total"] == 1 and listed["data"][0]["id"] == eid and "history" not in listed["data"][0]


def test_refused_moves_change_nothing(client, world):
    w = world
    eid = _invite(client, w).get_json()["data"]["id"]
    before = _state(client, w, eid)
    wrong_side = _patch(client, w, "leader", eid, status="accepted")
    assert wrong_side.status_code == 403
    assert wrong_side.get_json()["error"]["allowed"] == ["closed"]
    wrong_stage = _patch(client, w, "sme", eid, status="samples")
    assert wrong_stage.status_code == 409
    error = wrong_stage.get_json()["error"]
    assert error["allowed"] == ["accepted", "declined", "closed"]
    assert "Accepted" in error["messages"]["en"] and "已接受" in error["messages"]["zh"]
    assert _patch(client, w, "other", eid, status="accepted").status_code == 403
    stale = _patch(client, w, "sme", eid, status="accepted", version=5)
    assert stale.status_code == 409 and stale.get_json()["error"]["code"] == "stale_version"
    second = _invite(client, w, who="official")
    assert second.status_code == 409
    assert second.get_json()["error"]["existing"] == eid and second.get_json()["error"]["url"] == f"{PATH}/{eid}"
    assert _state(client, w, eid) == before
    assert client.get(PATH, headers=w["official"]).get_json()["total"] == 1


def test_who_sees_which_engagements(client, world):
    w = world
    eid = _invite(client, w).get_json()["data"]["id"]
    assert client.get(f"{PATH}/{eid}", headers=w["other"]).status_code == 403
    assert client.get(f"{PATH}/{eid}").status_code == 401
    assert client.get(f"{PATH}/G-000000000000", headers=w["official"]).status_code == 404
    assert client.get(PATH, headers=w["other"]).get_json()["total"] == 0
    for who in ("leader", "sme", "official"):
        assert client.get(PATH, headers=w[who], query_string={"demand_item": w["demand"]["id"]}).get_json()["total"] == 1


@pytest.mark.parametrize("body, field", [
    ({}, "demand_item_id"), ({"demand_item_id": "D-nope", "supplier_id": "E-x"}, "demand_item_id"),
    ({"supplier_id": None}, "supplier_id"), ({"supplier_id": "E-nope"}, "supplier_id"),
    ({"supply_item_id": "S-nope"}, "supply_item_id"), ({"note": "x" * 2001}, "note"), ({"extra": 1}, "extra"),
    ({"supplier_id": 5}, "supplier_id"),
])
def test_invitation_bad_input(client, world, body, field):
    w = world
    full = {"demand_item_id": w["demand"]["id"], "supplier_id": w["sme_id"], **body} if body else {}
    answer = client.post(PATH, headers=w["leader"], json=full)
    assert answer.status_code == 422, answer.get_json()
    assert field in answer.get_json()["error"]["fields"]
    assert client.get(PATH, headers=w["official"]).get_json()["total"] == 0


@pytest.mark.parametrize("body, field", [
    ({"status": "bogus"}, "status"), ({}, "status"), ({"status": "declined"}, "reason"),
    ({"status": "declined", "reason": "nope"}, "reason"), ({"status": "declined", "reason": "other"}, "note"),
    ({"status": "accepted", "value": 5}, "value"), ({"status": "accepted", "version": "x"}, "version"),
    ({"status": "accepted", "start_date": "2027-13-01"}, "start_date"), ({"status": "accepted", "value": -1}, "value"),
])
def test_move_bad_input(client, world, body, field):
    w = world
    eid = _invite(client, w).get_json()["data"]["id"]
    before = _state(client, w, eid)
    answer = _patch(client, w, "sme", eid, **body)
    assert answer.status_code == 422, answer.get_json()
    assert field in answer.get_json()["error"]["fields"]
    assert _state(client, w, eid) == before


def test_contract_needs_its_figures(client, world):
    w = world
    eid = _invite(client, w).get_json()["data"]["id"]
    assert _patch(client, w, "sme", eid, status="accepted").status_code == 200
    answer = _patch(client, w, "leader", eid, status="contracted", value=5)
    assert answer.status_code == 422 and {"quantity", "start_date"} <= set(answer.get_json()["error"]["fields"])
    bad_query = client.get(PATH, headers=w["leader"], query_string={"status": "nope"})
    assert bad_query.status_code == 422 and "status" in bad_query.get_json()["error"]["fields"]


def test_notifications_of_invitation_answer_and_contract(client, db, world):
    w = world
    official = gen_user(db, "official")
    official_token = bearer(gen_token(db, official))
    eid = _invite(client, w).get_json()["data"]["id"]

    def inbox(headers):
        return [(n["kind"], n["link"], n["title"]) for n in
                client.get("/api/v1/notifications", headers=headers).get_json()["data"]]
    assert [n[:2] for n in inbox(w["sme"])] == [("engagement_invited", f"/engagements/{eid}")]
    assert ("engagement_opened", f"/engagements/{eid}") in [n[:2] for n in inbox(official_token)]
    assert inbox(w["leader"]) == []  # the actor is not told of its own move
    assert _patch(client, w, "sme", eid, status="accepted").status_code == 200
    assert [n[0] for n in inbox(w["leader"])] == ["engagement_answer"]
    assert "accepted" in inbox(w["leader"])[0][2]
    assert _patch(client, w, "leader", eid, status="contracted", quantity=1, value=1000,
                  start_date="2027-01-01").status_code == 200
    assert "engagement_contracted" in [n[0] for n in inbox(official_token)]
