"""The batch plan through the API on the real graph server: local fits only, capacity left after contracts,
rates before and after, the potential rate, who may ask, bad input."""
from __future__ import annotations

import math

import pytest

from tests.engagement_helpers import write_engagement
from tests.helpers import bearer, firm_with_token, gen_enterprise, gen_token, gen_user

SHANGHAI = "310115"
IGBT = ("IGBT功率模块 750V 820A 车规级", "双面散热塑封IGBT模块，用于电机控制器主驱逆变")


def _post(client, path, token, body):
    response = client.post(path, json=body, headers=bearer(token))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["data"]


@pytest.fixture
def market(client, db):
    leader = gen_enterprise(db, role="leader", chains=["nev"], annual_procurement=100_000_000,
                            local_procurement=20_000_000)
    token = gen_token(db, gen_user(db, "leader", leader["id"]))
    demand = _post(client, "/api/v1/demand-items", token, {
        "name": "车规级IGBT模块 750V", "description": "主驱逆变器用IGBT功率模块，750V 820A，双面散热",
        "quantity": 10000, "unit": "pcs", "unit_price": 1200, "required_certifications": ["IATF16949"],
        "current_supplier_region": SHANGHAI})
    firms = {}
    for key, region, certs, capacity in [("local", "510116", ["IATF16949"], 6000),
                                          ("far", SHANGHAI, ["IATF16949"], 50000),
                                          ("uncertified", "510116", [], 50000)]:
        firm, _, sme_token = firm_with_token(db, "sme", region=region)
        item = _post(client, "/api/v1/supply-items", sme_token, {"name": IGBT[0], "description": IGBT[1],
                                                                 "capacity": capacity, "unit": "pcs",
                                                                 "certifications": certs})
        firms[key] = {"firm": firm, "item": item}
    official = gen_token(db, gen_user(db, "official"))
    return {"leader": leader, "demand": demand, "firms": firms, "official": official, "leader_token": token}


def _plan(client, token, **body):
    response = client.post("/api/v1/plans", json=body, headers=bearer(token))
    assert response.status_code == 200, response.get_json()
    return response.get_json()["data"]


def test_the_plan_takes_the_local_qualified_fit_up_to_its_capacity_and_reports_the_rates(client, market):
    plan = _plan(client, market["official"], chain="nev")
    local = market["firms"]["local"]
    assert [(a["demand_item_id"], a["supplier_id"], a["supply_item_id"], a["quantity"]) for a in plan["assignments"]] \
        == [(market["demand"]["id"], local["firm"]["id"], local["item"]["id"], 6000)]
    assert plan["local_value"] == 6000 * 1200 == plan["greedy_local_value"]
    assert plan["rate_before"] == 0.2 and math.isclose(plan["rate_after"], 0.2 + 7_200_000 / 100_000_000)
    assert {"demand_item_id", "supplier_id", "supply_item_id", "quantity", "value"} <= set(plan["assignments"][0])


def test_contracts_use_up_capacity_and_quantity(client, db, market):
    local = market["firms"]["local"]
    write_engagement(db, market["demand"]["id"], local["firm"]["id"], value=1_200_000, quantity=1000,
                     supply_item_id=local["item"]["id"])
    plan = _plan(client, market["official"], chain="新能源汽车")
    assert [a["quantity"] for a in plan["assignments"]] == [5000]


def test_the_potential_rate_counts_an_item_whose_best_suggestion_is_local_and_qualified(client, market):
    data = client.get("/api/v1/chains/nev/localization", headers=bearer(market["official"])).get_json()["data"]
    assert data["chain"]["potential_items"] == [market["demand"]["id"]]
    assert math.isclose(data["chain"]["potential_rate"], 0.2 + 12_000_000 / 100_000_000, abs_tol=1e-6)


def test_only_officials_and_admins_plan_and_a_bad_chain_is_named(client, db, market):
    assert client.post("/api/v1/plans", json={}, headers=bearer(market["leader_token"])).status_code == 403
    assert client.post("/api/v1/plans", json={}).status_code == 401
    for body, field in [({"chain": "no-such-chain"}, "chain"), ({"chain": 5}, "chain"), ({"chains": "nev"}, "chains")]:
        response = client.post("/api/v1/plans", json=body, headers=bearer(market["official"]))
        assert response.status_code == 422 and field in response.get_json()["error"]["fields"], response.get_json()
    everything = _plan(client, market["official"])
    assert everything["chain"] is None and len(everything["assignments"]) == 1
