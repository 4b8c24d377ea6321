"""The gap map's pure parts: coverage states, the map from coverage rows, cultivation order, the SVG."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from matchmaker.analytics.gaps import build_gap_map, coverage_state, rank_cultivation
from matchmaker.analytics.localization import Contract, DemandLine, Leader, Projection, breakdown, with_contracts
from matchmaker.charts.gap_map import GapMapTexts, draw_gap_map

CHAIN = {"id": "c", "name_zh": "链", "name_en": "Chain", "localization_target": 0.4,
         "segments": [{"id": "down", "stage": "downstream", "name_zh": "下游", "name_en": "Down"},
                      {"id": "up", "stage": "upstream", "name_zh": "上游", "name_en": "Up"}],
         "feeds": [{"source": "k1", "target": "k2"}, {"source": "k2", "target": "k3"},
                   {"source": "k1", "target": "elsewhere"}]}
ROWS = [{"id": "k2", "name_zh": "电机", "name_en": "Motor", "segment_id": "down", "stage": "downstream",
         "local_suppliers": 1, "outside_suppliers": 3, "demand_items": 2, "demand_value": 400.0, "served_locally": 100.0},
        {"id": "k1", "name_zh": "磁钢", "name_en": "Magnet <NdFeB>", "segment_id": "up", "stage": "upstream",
         "local_suppliers": 0, "outside_suppliers": 1, "demand_items": 1, "demand_value": 100.0, "served_locally": 0},
        {"id": "k3", "name_zh": "整车", "name_en": "Vehicle", "segment_id": "down", "stage": "downstream",
         "local_suppliers": 5, "outside_suppliers": 0, "demand_items": 0, "demand_value": 0, "served_locally": 0}]


def test_coverage_states_follow_the_count_of_local_firms():
    assert [coverage_state(n) for n in (0, 1, 2, 7)] == ["gap", "weak", "covered", "covered"]


def test_map_orders_segments_upstream_first_and_keeps_edges_inside_the_chain():
    gap_map = build_gap_map(CHAIN, ROWS)
    assert [s["id"] for s in gap_map.segments] == ["up", "down"]
    assert [n.id for n in gap_map.nodes] == ["k1", "k2", "k3"]
    assert gap_map.edges == [("k1", "k2"), ("k2", "k3")]
    k2 = gap_map.nodes[1]
    assert (k2.state, k2.rate) == ("weak", None)  # without the localization figures, no rate at all


def test_summary_counts_states_and_the_value_at_stake():
    summary = build_gap_map(CHAIN, ROWS).summary()
    assert summary["counts"] == {"gap": 1, "weak": 1, "covered": 1}
    assert summary["demand_value"] == {"gap": 100.0, "weak": 400.0, "covered": 0.0}


def test_rates_are_the_localization_modules_category_figures():
    """The node carries B, C, T and the rate of analytics.localization; the map computes none itself."""
    projection = Projection(
        leaders=[Leader("L", chain_ids=("c",))],
        demands=[DemandLine("d1", "L", 300.0, False, "c", "down", "k2"),
                 DemandLine("d2", "L", 100.0, True, "c", "down", "k2"),
                 DemandLine("d3", "L", 100.0, False, "c", "up", "k1", status="closed")],
        contracts=[Contract("g1", "d1", 120.0), Contract("g2", "d3", 100.0, supplier_local=False)],
        targets={"c": 0.4})
    figures = breakdown(projection, "c")["categories"]
    nodes = {n.id: n for n in build_gap_map(CHAIN, ROWS, figures).nodes}
    k2, k1, k3 = nodes["k2"], nodes["k1"], nodes["k3"]
    assert (k2.served_locally, k2.contracted_locally, k2.rate_total, k2.rate) == (100.0, 120.0, 400.0, 0.55)
    assert k2.rate == figures["k2"].rate
    assert (k1.served_locally, k1.contracted_locally, k1.rate) == (0.0, 0.0, 0.0)  # a closed item still counts
    assert (k3.served_locally, k3.rate) == (0.0, None)  # no demand from the chain's leaders


def test_contracting_a_local_engagement_raises_the_node_rate_by_its_value_share():
    base = Projection(leaders=[Leader("L", chain_ids=("c",))],
                      demands=[DemandLine("d1", "L", 300.0, False, "c", "down", "k2"),
                               DemandLine("d2", "L", 100.0, True, "c", "down", "k2")], targets={"c": None})
    before = {n.id: n for n in build_gap_map(CHAIN, ROWS, breakdown(base, "c")["categories"]).nodes}["k2"]
    after = {n.id: n for n in build_gap_map(CHAIN, ROWS, breakdown(
        with_contracts(base, [Contract("g", "d1", 60.0)]), "c")["categories"]).nodes}["k2"]
    assert after.rate - before.rate == pytest.approx(60.0 / 400.0)
    assert after.contracted_locally == 60.0


def test_cultivation_puts_feeds_neighbours_then_higher_tiers_first():
    ranked = rank_cultivation([
        {"enterprise": {"name": "A", "tier": "champion"}, "feeds": 0},
        {"enterprise": {"name": "B", "tier": "innovative"}, "feeds": 1},
        {"enterprise": {"name": "C", "tier": "little_giant"}, "feeds": 1},
        {"enterprise": {"name": "D", "tier": None}, "feeds": 0}])
    assert [c["enterprise"]["name"] for c in ranked] == ["C", "B", "A", "D"]


def _texts(lang_name=lambda d: d.get("name_en") or "") -> GapMapTexts:
    return GapMapTexts("Gap map", {"gap": "Gap", "weak": "Weak", "covered": "Covered"}, "size = value",
                       lambda n: f"{n.name_en}: {n.local_suppliers} local", lang_name)


def test_svg_is_well_formed_with_a_linked_node_per_category_and_an_arrow_per_edge():
    svg = draw_gap_map(build_gap_map(CHAIN, ROWS), _texts(), lambda cid: f"/categories/{cid}?a=1&b=2")
    root = ET.fromstring(svg)  # escaped names and links: parses as XML
    ns = {"s": "http://www.w3.org/2000/svg"}
    links = root.findall(".//s:a", ns)
    assert [a.get("data-id") for a in links] == ["k1", "k2", "k3"]
    assert links[0].get("href") == "/categories/k1?a=1&b=2"
    assert [a.get("class") for a in links] == ["node state-gap", "node state-weak", "node state-covered"]
    assert links[0].find("s:title", ns).text == "Magnet <NdFeB>: 0 local"
    assert len(root.findall(".//s:path[@class='feed']", ns)) == 2
    circles = {a.get("data-id"): a.find("s:circle", ns) for a in links}
    assert circles["k3"] is None  # no demand, no circle
    assert float(circles["k2"].get("r")) > float(circles["k1"].get("r"))  # bigger value, bigger circle


def test_svg_labels_follow_the_readers_language_and_long_names_are_cut():
    rows = [{**ROWS[1], "name_zh": "非常长的品类名称用于测试截断是否生效的一段文字"}]
    svg = draw_gap_map(build_gap_map(CHAIN, rows), _texts(lambda d: d.get("name_zh") or ""), lambda cid: "#")
    ns = {"s": "http://www.w3.org/2000/svg"}
    root = ET.fromstring(svg)
    assert [t.text for t in root.findall("s:text[@class='segment']", ns)] == ["上游", "下游"]
    label = root.find(".//s:a/s:text", ns).text
    assert label.startswith("非常长的品类") and label.endswith("…") and len(label) < len(rows[0]["name_zh"])
