"""Localization rates through the API on the real graph server: hand-computed figures, a contract's value
share, who sees what, bad input."""
from __future__ import annotations

import math

import pytest

from matchmaker.docking import engagements
from matchmaker.services.permissions import Principal
from tests.engagement_helpers import write_engagement
from tests.helpers import bearer, gen_enterprise, gen_token, gen_user

SHANGHAI = "310115"


def _demand(client, token, name, quantity, price, region, **extra):
    response = client.post("/api/v1/demand-items", headers=bearer(token), json={
        "name": name, "quantity": quantity, "unit": "pcs", "unit_price": price,
        "current_supplier_region": region, "category": "nev.electrical-parts", **extra})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["data"]


@pytest.fixture
def scene(client, db):
    """Leader A declares 1,000,000,000 with 400,000,000 local (40%); leader B declares nothing and has
    items worth 300 + 700 of which 300 is local (30%); a local and a Shanghai SME."""
    a = gen_enterprise(db, role="leader", chains=["nev"], annual_procurement=1_000_000_000,
                       local_procurement=400_000_000)
    b = gen_enterprise(db, role="leader", chains=["nev"])
    users = {k: gen_user(db, "leader", f["id"]) for k, f in (("a", a), ("b", b))}
    tokens = {k: gen_token(db, u) for k, u in users.items()}
    d_a = _demand(client, tokens["a"], "车身控制线束", 125_000, 400, SHANGHAI)            # 50,000,000 served elsewhere
    d_b1 = _demand(client, tokens["b"], "点火线圈", 3, 100, "510112")                    # 300 served locally
    d_b2 = _demand(client, tokens["b"], "压铸壳体", 7, 100, SHANGHAI)                    # 700 served elsewhere
    local_sme = gen_enterprise(db, role="sme", region="510116")
    far_sme = gen_enterprise(db, role="sme", region=SHANGHAI)
    official = gen_token(db, gen_user(db, "official"))
    return {"a": a, "b": b, "tokens": tokens, "users": users, "d_a": d_a, "d_b1": d_b1, "d_b2": d_b2,
            "local": local_sme, "far": far_sme, "official": official}


def _chain(client, token, chain="nev"):
    response = client.get(f"/api/v1/chains/{chain}/localization", headers=bearer(token))
    assert response.status_code == 200, response.get_json()
    return response.get_json()["data"]


def _leader(data, leader_id):
    return next(l for l in data["leaders"] if l["id"] == leader_id)


def test_hand_computed_rates_for_leaders_chain_and_category(client, scene):
    data = _chain(client, scene["official"])
    a, b = _leader(data, scene["a"]["id"]), _leader(data, scene["b"]["id"])
    assert (a["rate"], a["declared_total"], a["total"]) == (0.4, True, 1_000_000_000)
    assert (b["rate"], b["declared_total"], b["total"], b["local_items"]) == (0.3, False, 1000, [scene["d_b1"]["id"]])
    assert math.isclose(data["chain"]["rate"], (400_000_000 + 300) / (1_000_000_000 + 1000), abs_tol=1e-6)
    assert data["chain"]["total"] == 1_000_001_000 and data["chain"]["local_value"] == 400_000_300
    assert data["chain"]["target"] == 0.4 and data["chain"]["name_zh"]
    category = next(c for c in data["categories"] if c["id"] == "nev.electrical-parts")
    assert category["total"] == 50_000_000 + 1000 and category["local_value"] == 300
    listed = client.get("/api/v1/localization", headers=bearer(scene["official"])).get_json()["data"]
    nev = next(c for c in listed if c["id"] == "nev")
    assert nev["rate"] == data["chain"]["rate"] and {c["id"] for c in listed} >= {"nev", "rail"}
    assert next(c for c in listed if c["id"] == "rail")["target"] == 0.5


def test_a_local_contract_on_an_item_served_elsewhere_raises_leader_and_chain_by_its_value_share(client, db, scene):
    """Through the engagements service: a contract with a Shanghai firm and an engagement still at samples
    change nothing; the leader recording the local contract raises its rate and the chain's by value / T."""
    before = _chain(client, scene["official"])
    # a contract with a Shanghai firm and an unfinished engagement change nothing
    write_engagement(db, scene["d_a"]["id"], scene["far"]["id"], value=50_000_000, quantity=125_000)
    gid = write_engagement(db, scene["d_a"]["id"], scene["local"]["id"], value=0, quantity=0, status="samples")
    assert _chain(client, scene["official"])["chain"]["rate"] == before["chain"]["rate"]
    # the leader signs with the local SME: the real service records the contract
    engagements.move(db, Principal.of(scene["users"]["a"]), gid, "contracted", quantity=125_000, value=50_000_000,
                     start_date="2027-01-01")
    after = _chain(client, scene["official"])
    a0, a1 = _leader(before, scene["a"]["id"]), _leader(after, scene["a"]["id"])
    assert math.isclose(a1["rate"] - a0["rate"], 50_000_000 / 1_000_000_000, abs_tol=1e-6)
    assert a1["engagements"] == [gid] and a1["contracted_value"] == 50_000_000
    total = before["chain"]["total"]
    assert math.isclose(after["chain"]["rate"] - before["chain"]["rate"], 50_000_000 / total, abs_tol=1e-6)


def test_a_leader_sees_its_own_figures_only_and_smes_and_strangers_none(client, db, scene):
    own = _chain(client, scene["tokens"]["b"])
    assert [l["id"] for l in own["leaders"]] == [scene["b"]["id"]]
    assert own["chain"] is None and own["segments"] == [] and own["categories"] == []
    assert client.get("/api/v1/localization", headers=bearer(scene["tokens"]["b"])).status_code == 403
    sme = gen_token(db, gen_user(db, "sme", scene["local"]["id"]))
    assert client.get("/api/v1/chains/nev/localization", headers=bearer(sme)).status_code == 403
    assert client.get("/api/v1/chains/nev/localization").status_code == 401


def test_an_unknown_chain_is_404(client, scene):
    response = client.get("/api/v1/chains/nope/localization", headers=bearer(scene["official"]))
    assert response.status_code == 404 and "nope" in response.get_json()["error"]["message"]
