"""Matching through the API on the real graph server: suppliers for a demand, opportunities, verdicts."""
from __future__ import annotations

import pytest

from tests.helpers import bearer, firm_with_token, gen_token, gen_user

SHANGHAI = "310115"


def _supply(client, token, name, description="", **fields):
    body = {"name": name, "description": description, "capacity": 50000, "unit": "pcs", **fields}
    response = client.post("/api/v1/supply-items", json=body, headers=bearer(token))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["data"]


@pytest.fixture
def market(client, db):
    """A leader's IGBT demand and four suppliers: local and non-local fits, an uncertified fit, a bolt maker."""
    leader, _, leader_token = firm_with_token(db, "leader")
    demand = client.post("/api/v1/demand-items", headers=bearer(leader_token), json={
        "name": "车规级IGBT模块 750V", "description": "主驱逆变器用IGBT功率模块，750V 820A，双面散热",
        "quantity": 10000, "unit": "pcs", "unit_price": 1200, "required_certifications": ["IATF16949"]})
    assert demand.status_code == 201, demand.get_json()
    firms = {}
    for key, region, name, description, certs in [
        ("local", "510116", "IGBT功率模块 750V 820A 车规级", "双面散热塑封IGBT模块，用于电机控制器主驱逆变", ["IATF16949"]),
        ("far", SHANGHAI, "IGBT功率模块 750V 820A 车规级", "双面散热IGBT模块，主驱逆变器", ["IATF16949"]),
        ("uncertified", "510116", "IGBT模块 750V 车规", "主驱逆变用双面散热IGBT功率模块", []),
        ("bolts", "510116", "M12 高强度螺栓 8.8级", "GB/T 5782 外六角螺栓，镀锌", ["IATF16949"]),
    ]:
        firm, _, token = firm_with_token(db, "sme", region=region)
        firms[key] = {"firm": firm, "token": token,
                      "item": _supply(client, token, name, description, certifications=certs)}
    return {"leader_token": leader_token, "demand": demand.get_json()["data"], "firms": firms}


def _matches(client, market, token=None, **args):
    query = "&".join(f"{k}={v}" for k, v in args.items())
    response = client.get(f"/api/v1/demand-items/{market['demand']['id']}/matches?{query}",
                          headers=bearer(token or market["leader_token"]))
    assert response.status_code == 200, response.get_json()
    return response.get_json()["data"]


def _ids(found):
    return [m["enterprise"]["id"] for m in found]


def test_fitting_suppliers_come_first_local_first_and_the_uncertified_one_after_with_the_gap_shown(client, market):
    firms = market["firms"]
    found = _matches(client, market)
    ids = _ids(found)
    assert ids[:2] == [firms["local"]["firm"]["id"], firms["far"]["firm"]["id"]]
    assert ids.index(firms["uncertified"]["firm"]["id"]) == 2
    uncertified = found[2]
    assert uncertified["missing_certifications"] == ["IATF16949"]
    assert firms["bolts"]["firm"]["id"] not in ids
    best = found[0]
    assert best["enterprise"]["local"] is True and best["supply_items"][0]["id"] == firms["local"]["item"]["id"]
    assert best["enterprise"]["name"] == firms["local"]["firm"]["name"]  # firms and item names: one read
    assert best["supply_items"][0]["name"] == firms["local"]["item"]["name"]
    assert {"fit", "text_lexical", "text_semantic", "category", "certifications_met", "certifications_missing",
            "capacity_cover", "local", "tier", "feedback"} <= set(best["components"])


def test_filters_local_only_and_certification(client, market):
    firms = market["firms"]
    local = _ids(_matches(client, market, local_only="true"))
    assert firms["far"]["firm"]["id"] not in local and firms["local"]["firm"]["id"] in local
    certified = _ids(_matches(client, market, certification="IATF16949"))
    assert firms["uncertified"]["firm"]["id"] not in certified


def test_an_english_demand_finds_the_chinese_catalog(client, db, market):
    _, _, token = firm_with_token(db, "leader")
    demand = client.post("/api/v1/demand-items", headers=bearer(token), json={
        "name": "Automotive IGBT power module 750V", "description": "for traction inverter, double-sided cooling"})
    found = client.get(f"/api/v1/demand-items/{demand.get_json()['data']['id']}/matches",
                       headers=bearer(token)).get_json()["data"]
    assert market["firms"]["local"]["firm"]["id"] in _ids(found)[:3]


def test_a_new_item_shows_at_once_and_a_withdrawn_one_goes(client, db, market):
    firm, _, token = firm_with_token(db, "sme")
    item = _supply(client, token, "车规级IGBT模块 750V 820A", "主驱逆变器用双面散热IGBT功率模块", certifications=["IATF16949"])
    assert firm["id"] in _ids(_matches(client, market))
    assert client.delete(f"/api/v1/supply-items/{item['id']}", headers=bearer(token)).status_code == 200
    assert firm["id"] not in _ids(_matches(client, market))


def test_a_dismissed_supplier_drops_and_the_verdict_is_kept(client, market):
    local_id = market["firms"]["local"]["firm"]["id"]
    response = client.post(f"/api/v1/demand-items/{market['demand']['id']}/matches/{local_id}/feedback",
                           json={"verdict": "dismiss", "reason": "price"}, headers=bearer(market["leader_token"]))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["data"]["verdict"] == "dismiss"
    ids = _ids(_matches(client, market))
    assert ids[0] == market["firms"]["far"]["firm"]["id"] and ids[-1] == local_id


def test_an_sme_sees_the_demand_among_its_opportunities(client, market):
    firm = market["firms"]["uncertified"]
    response = client.get(f"/api/v1/enterprises/{firm['firm']['id']}/opportunities", headers=bearer(firm["token"]))
    assert response.status_code == 200, response.get_json()
    found = response.get_json()["data"]
    assert found[0]["demand_item"]["id"] == market["demand"]["id"]
    assert found[0]["missing_certifications"] == ["IATF16949"]
    assert found[0]["supply_item"]["id"] == firm["item"]["id"]


def test_who_sees_matches(client, db, market):
    demand_id = market["demand"]["id"]
    other_sme = market["firms"]["bolts"]["token"]
    assert client.get(f"/api/v1/demand-items/{demand_id}/matches").status_code == 401
    assert client.get(f"/api/v1/demand-items/{demand_id}/matches", headers=bearer(other_sme)).status_code == 403
    official = gen_token(db, gen_user(db, "official"))
    assert client.get(f"/api/v1/demand-items/{demand_id}/matches", headers=bearer(official)).status_code == 200
    firm_id = market["firms"]["local"]["firm"]["id"]
    assert client.get(f"/api/v1/enterprises/{firm_id}/opportunities", headers=bearer(other_sme)).status_code == 403
    refused = client.post(f"/api/v1/demand-items/{demand_id}/matches/{firm_id}/feedback",
                          json={"verdict": "dismiss"}, headers=bearer(other_sme))
    assert refused.status_code == 403


def test_bad_input(client, market):
    demand_id, token = market["demand"]["id"], market["leader_token"]
    bad_limit = client.get(f"/api/v1/demand-items/{demand_id}/matches?limit=0", headers=bearer(token))
    assert bad_limit.status_code == 422 and "limit" in bad_limit.get_json()["error"]["fields"]
    bad_tier = client.get(f"/api/v1/demand-items/{demand_id}/matches?tier=gold", headers=bearer(token))
    assert bad_tier.status_code == 422 and "tier" in bad_tier.get_json()["error"]["fields"]
    firm_id = market["firms"]["local"]["firm"]["id"]
    bad_verdict = client.post(f"/api/v1/demand-items/{demand_id}/matches/{firm_id}/feedback",
                              json={"verdict": "maybe"}, headers=bearer(token))
    assert bad_verdict.status_code == 422 and "verdict" in bad_verdict.get_json()["error"]["fields"]
    assert client.get("/api/v1/demand-items/D-missing/matches", headers=bearer(token)).status_code == 404
    unknown_firm = client.post(f"/api/v1/demand-items/{demand_id}/matches/E-missing/feedback",
                               json={"verdict": "confirm"}, headers=bearer(token))
    assert unknown_firm.status_code == 404


def test_a_verdict_also_moves_the_supplier_for_the_leaders_similar_demands(client, market):
    local_id = market["firms"]["local"]["firm"]["id"]
    client.post(f"/api/v1/demand-items/{market['demand']['id']}/matches/{local_id}/feedback",
                json={"verdict": "dismiss"}, headers=bearer(market["leader_token"]))
    similar = client.post("/api/v1/demand-items", headers=bearer(market["leader_token"]), json={
        "name": "车规级IGBT模块 750V", "description": "主驱逆变器用IGBT功率模块，750V 820A，双面散热，二期项目"})
    found = client.get(f"/api/v1/demand-items/{similar.get_json()['data']['id']}/matches",
                       headers=bearer(market["leader_token"])).get_json()["data"]
    by_firm = {m["enterprise"]["id"]: m for m in found}
    assert by_firm[local_id]["components"]["feedback"] < 0
    assert _ids(found).index(local_id) > _ids(found).index(market["firms"]["far"]["firm"]["id"])
