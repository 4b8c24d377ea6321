"""A hand-computed chain scenario through the API on the real graph server: gap states, the categories'
localization rates (and how a local contract moves one), resilience lists, and who sees the exposure.

Chain nev, its first four categories k1..k4 (every other category of the chain has no supplier: a gap).
Firms: leaders L1 (declares 10,000,000 bought, 2,000,000 locally) and L2 (declares nothing); local SMEs
S1, S2; Shanghai firms X1, X2.
  supply   k1: S1, S2      k2: S1       k3: X1        k4: S2, X2
  demand   D1 L1 k1 10 x 1,000 = 10,000 served locally today
           D2 L1 k3 20 x 1,000 = 20,000 served from Shanghai
           D3 L2 k3  5 x 1,000 =  5,000 served from Shanghai
           D4 L2 k2 40 x   100 =  4,000 served from Shanghai; contracted with S1 for 3,000 in the test
           D5 L2 k4 10 x   100 =  1,000 served locally today
By hand:
  states   k1 covered (2 local), k2 weak (1), k3 gap (0 local, 1 elsewhere), k4 weak (1 local, 1 elsewhere)
  rates    k1 10,000/10,000 = 1;  k2 0 before the contract, (0 + 3,000)/4,000 = 0.75 after;
           k3 0/25,000 = 0;  k4 1,000/1,000 = 1
  single sources       k3 (X1, outside, 25,000), k2 (S1, local, 4,000)
  critical suppliers   S1 (opens k2, 4,000), S2 (opens k4, 1,000)
  exposed leaders      L1 20,000 of 30,000 (2/3), L2 5,000 of 10,000 (1/2), both through k3
  completeness         3 categories with local supply (k1, k2, k4) of all the chain's categories
"""
from __future__ import annotations


import pytest

from matchmaker.services import gap_maps
from matchmaker.services import items as item_service
from matchmaker.services.enterprises import create_enterprise
from tests.engagement_helpers import write_engagement
from tests.helpers import HOME, SYSTEM, bearer, gen_token, gen_user, page_sign_in

CHAIN = "nev"
SHANGHAI, LOCAL = "310115", "510116"


def _firm(db, firm_id, role, region, **extra):
    create_enterprise(db, SYSTEM, {"id": firm_id, "name": f"企业{firm_id}", "role": role, "region": region,
                                   "chains": [CHAIN], **extra}, HOME)


def _supply(db, item_id, firm_id, category):
    item_service.create_item(db, SYSTEM, "supply", {"id": item_id, "enterprise_id": firm_id, "name": f"产品{item_id}",
                                                    "category": category, "status": "published"}, HOME)


def _demand(db, item_id, firm_id, category, quantity, price, region):
    item_service.create_item(db, SYSTEM, "demand", {"id": item_id, "enterprise_id": firm_id, "name": f"需求{item_id}",
                                                    "category": category, "quantity": quantity, "unit_price": price,
                                                    "current_supplier_region": region}, HOME)


@pytest.fixture
def scene(db):
    chain = gap_maps.chain_service.get_chain(db, CHAIN)
    cats = [c["id"] for s in chain["segments"] for c in s["categories"]]
    k1, k2, k3, k4 = cats[:4]
    _firm(db, "L1", "leader", LOCAL, annual_procurement=10_000_000, local_procurement=2_000_000)
    _firm(db, "L2", "leader", LOCAL)
    for firm, region in (("S1", LOCAL), ("S2", "510104"), ("X1", SHANGHAI), ("X2", SHANGHAI)):
        _firm(db, firm, "sme", region)
    for item, firm, k in (("P1", "S1", k1), ("P2", "S2", k1), ("P3", "S1", k2), ("P4", "X1", k3),
                          ("P5", "S2", k4), ("P6", "X2", k4)):
        _supply(db, item, firm, k)
    _demand(db, "D1", "L1", k1, 10, 1000, LOCAL)
    _demand(db, "D2", "L1", k3, 20, 1000, SHANGHAI)
    _demand(db, "D3", "L2", k3, 5, 1000, SHANGHAI)
    _demand(db, "D4", "L2", k2, 40, 100, SHANGHAI)
    _demand(db, "D5", "L2", k4, 10, 100, LOCAL)
    official_user = gen_user(db, "official")
    official = gen_token(db, official_user)
    l2 = gen_token(db, gen_user(db, "leader", "L2"))
    return {"k": (k1, k2, k3, k4), "n": len(cats), "official": official, "l2": l2, "official_user": official_user}


def _login(client, user) -> None:
    page_sign_in(client, user)


def _get(client, path, token=None):
    response = client.get(path, headers=bearer(token) if token else {})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["data"]


def _nodes(client, token=None):
    return {n["id"]: n for n in _get(client, f"/api/v1/chains/{CHAIN}/gap-map", token)["nodes"]}


def test_gap_states_and_rates_equal_the_hand_computed_ones(client, scene):
    k1, k2, k3, k4 = scene["k"]
    nodes = _nodes(client, scene["official"])
    got = {k: (nodes[k]["state"], nodes[k]["local_suppliers"], nodes[k]["outside_suppliers"], nodes[k]["rate"])
           for k in scene["k"]}
    assert got == {k1: ("covered", 2, 0, 1.0), k2: ("weak", 1, 0, 0.0), k3: ("gap", 0, 1, 0.0),
                   k4: ("weak", 1, 1, 1.0)}
    assert (nodes[k3]["demand_items"], nodes[k3]["demand_value"], nodes[k3]["rate_total"]) == (2, 25_000, 25_000)
    assert all(n["state"] == "gap" and n["rate"] is None for k, n in nodes.items() if k not in scene["k"])
    # The same figures as the localization breakdown (one module computes both).
    rates = {c["id"]: c["rate"] for c in _get(client, f"/api/v1/chains/{CHAIN}/localization",
                                              scene["official"])["categories"]}
    assert {k: nodes[k]["rate"] for k in scene["k"]} == {k: rates[k] for k in scene["k"]}


def test_a_local_contract_raises_the_node_rate_by_exactly_its_value_share(client, db, scene):
    k2 = scene["k"][1]
    before = _nodes(client, scene["official"])[k2]
    write_engagement(db, "D4", "S1", value=3_000, quantity=30, supply_item_id="P3")
    after = _nodes(client, scene["official"])[k2]
    assert after["rate"] - before["rate"] == pytest.approx(3_000 / 4_000)
    assert (after["rate"], after["contracted_locally"], after["served_locally"]) == (0.75, 3_000, 0)
    _login(client, scene["official_user"])
    page = client.get(f"/chains/{CHAIN}?lang=en").get_data(as_text=True)
    assert "Contracted locally" in page and "75.0%" in page and "Only officials, admins" not in page
    category = client.get(f"/categories/{k2}?lang=zh").get_data(as_text=True)
    assert "本地配套率" in category and "75.0%" in category


def test_resilience_lists_equal_the_hand_computed_ones(client, scene):
    k1, k2, k3, k4 = scene["k"]
    data = _get(client, f"/api/v1/chains/{CHAIN}/resilience", scene["official"])
    assert data["completeness"] == {"categories": scene["n"], "with_local_supply": 3, "index": 3 / scene["n"]}
    assert [(r["category"]["id"], r["supplier"]["id"], r["local"], r["demand_value"])
            for r in data["single_sources"]] == [(k3, "X1", False, 25_000), (k2, "S1", True, 4_000)]
    assert [(r["supplier"]["id"], r["gaps"], [k["id"] for k in r["categories"]], r["demand_value"])
            for r in data["critical_suppliers"]] == [("S1", 1, [k2], 4_000), ("S2", 1, [k4], 1_000)]
    assert [(r["leader"]["id"], r["exposed_value"], r["demand_value"], r["share"], [k["id"] for k in r["categories"]])
            for r in data["exposed_leaders"]] == [("L1", 20_000, 30_000, pytest.approx(2 / 3), [k3]),
                                                  ("L2", 5_000, 10_000, 0.5, [k3])]
    assert data["exposure_scope"] == "all" and data["single_sources"][0]["supplier"]["name"] == "企业X1"


def test_exposure_is_for_officials_and_the_leader_itself_and_rates_for_officials(client, scene):
    public = _get(client, f"/api/v1/chains/{CHAIN}/resilience")
    assert public["exposed_leaders"] == [] and public["exposure_scope"] == "none"
    assert len(public["single_sources"]) == 2 and len(public["critical_suppliers"]) == 2
    own = _get(client, f"/api/v1/chains/{CHAIN}/resilience", scene["l2"])
    assert [r["leader"]["id"] for r in own["exposed_leaders"]] == ["L2"] and own["exposure_scope"] == "own"
    nodes = _nodes(client)
    assert all(n["rate"] is None and n["contracted_locally"] is None for n in nodes.values())
    page = client.get(f"/chains/{CHAIN}?lang=en").get_data(as_text=True)
    assert "Only officials, admins and the firm itself" in page and "Contracted locally" not in page
    assert f"/supply?chain={CHAIN}&amp;category={scene['k'][0]}" in page and f"/chains/{CHAIN}/rates" in page


def test_unknown_chain_resilience_is_404(client, db):
    response = client.get("/api/v1/chains/nope/resilience")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"
