"""Chain gap maps and category pages on the real graph server: coverage states, demand at stake,
cultivation candidates and the pages and API that show them."""
from __future__ import annotations

import pytest

from matchmaker.services import gap_maps
from matchmaker.services import items as item_service
from matchmaker.services.enterprises import create_enterprise
from tests.helpers import HOME, SYSTEM

CHAIN = "nev"


def _firm(db, firm_id: str, role: str, region: str, tier: str = "none") -> str:
    create_enterprise(db, SYSTEM, {"id": firm_id, "name": f"企业{firm_id}", "role": role, "region": region,
                                   "tier": tier, "chains": [CHAIN]}, HOME)
    return firm_id


def _supply(db, item_id: str, firm_id: str, category: str, status: str = "published") -> None:
    item_service.create_item(db, SYSTEM, "supply", {"id": item_id, "enterprise_id": firm_id, "name": f"产品{item_id}",
                                                    "category": category, "status": status}, HOME)


def _demand(db, item_id: str, firm_id: str, category: str, quantity: float, price: float, **extra) -> None:
    item_service.create_item(db, SYSTEM, "demand", {"id": item_id, "enterprise_id": firm_id, "name": f"需求{item_id}",
                                                    "category": category, "quantity": quantity,
                                                    "unit_price": price, **extra}, HOME)


def _categories(db) -> list[str]:
    chain = gap_maps.chain_service.get_chain(db, CHAIN)
    return [c["id"] for s in chain["segments"] for c in s["categories"]]


@pytest.fixture
def world(db):
    """Category a: two local suppliers (covered); b: one local (weak) plus one outside; c: none (gap) and
    a demand of 1,000 x 500; a local SME of tier little_giant offers a neighbour of c in c's segment."""
    cats = _categories(db)
    a, b = cats[0], cats[1]
    chain = gap_maps.chain_service.get_chain(db, CHAIN)
    segment_of = {c["id"]: s["id"] for s in chain["segments"] for c in s["categories"]}
    c = next(x for x in cats if x not in (a, b) and segment_of[x] == segment_of[b]) \
        if sum(1 for x in cats if segment_of[x] == segment_of[b]) > 2 else cats[2]
    _firm(db, "L1", "leader", "510116")
    for firm, region, tier in (("S1", "510116", "srsn"), ("S2", "510104", "none"), ("S3", "310115", "none"),
                               ("S4", "510107", "little_giant")):
        _firm(db, firm, "sme", region, tier)
    _supply(db, "A1", "S1", a)
    _supply(db, "A2", "S2", a)
    _supply(db, "A3", "S2", a)               # a second item of the same firm counts once
    _supply(db, "B1", "S1", b)
    _supply(db, "B2", "S3", b)               # outside the home region
    _supply(db, "B3", "S2", b, status="draft")  # drafts offer nothing
    _supply(db, "N1", "S4", b)               # S4 is next to c through b (same segment or FEEDS)
    _demand(db, "D1", "L1", c, 1000, 500, current_supplier_region="310115")
    _demand(db, "D2", "L1", a, 10, 100, current_supplier_region="510116")
    return {"a": a, "b": b, "c": c, "segment_of": segment_of}


def test_states_count_distinct_local_firms_with_published_items(db, world):
    nodes = {n.id: n for n in gap_maps.chain_gap_map(db, CHAIN).nodes}
    a, b, c = nodes[world["a"]], nodes[world["b"]], nodes[world["c"]]
    assert (a.state, a.local_suppliers, a.outside_suppliers) == ("covered", 2, 0)
    assert (b.state, b.local_suppliers, b.outside_suppliers) == ("weak", 2, 1) or \
        (b.state, b.local_suppliers) == ("covered", 2)  # S1 and S4 are both local in b
    assert (c.state, c.local_suppliers, c.demand_items, c.demand_value) == ("gap", 0, 1, 500000.0)
    assert c.rate == 0.0 and a.rate == 1.0  # D2 is served locally today


def test_every_category_of_the_chain_is_on_the_map_in_stage_order(db, world):
    gap_map = gap_maps.chain_gap_map(db, CHAIN)
    assert {n.id for n in gap_map.nodes} == set(_categories(db))
    order = [s["stage"] for s in gap_map.segments]
    assert order == sorted(order, key=["upstream", "midstream", "downstream"].index)
    assert gap_map.summary()["categories"] == len(gap_map.nodes)


def test_category_page_lists_suppliers_demand_and_candidates(db, world):
    page = gap_maps.category_page(db, None, world["c"])
    assert page["state"] == "gap" and page["local_suppliers"] == []
    assert [d["id"] for d in page["demand_items"]] == ["D1"] and page["demand_value"] == 500000.0
    assert "L1" in page["leaders"]
    candidates = [c["enterprise"]["id"] for c in page["cultivation"]]
    if world["segment_of"][world["c"]] == world["segment_of"][world["b"]]:
        assert "S4" in candidates and "S3" not in candidates  # local SMEs only


def test_unknown_chain_or_category_is_404(db, client):
    assert client.get("/api/v1/chains/nope/gap-map").status_code == 404
    assert client.get("/categories/nope").status_code == 404
    assert client.get("/chains/nope").status_code == 404


def test_api_and_pages_show_the_map(db, world, client):
    got = client.get(f"/api/v1/chains/{CHAIN}/gap-map")
    assert got.status_code == 200
    nodes = {n["id"]: n for n in got.get_json()["data"]["nodes"]}
    assert nodes[world["c"]]["state"] == "gap" and nodes[world["c"]]["demand_value"] == 500000.0
    page = client.get(f"/chains/{CHAIN}?lang=zh").get_data(as_text=True)
    assert "<svg" in page and f'data-id="{world["c"]}"' in page and "缺口" in page
    svg = client.get(f"/chains/{CHAIN}/gap-map.svg?lang=en")
    assert svg.mimetype == "image/svg+xml" and b"Gap: no local supplier" in svg.data
    category = client.get(f"/categories/{world['c']}?lang=en").get_data(as_text=True)
    assert "Investment-attraction targets" in category and "需求D1" in category
