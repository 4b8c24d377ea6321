"""The docking funnel and its SVG picture on hand-made histories (no graph)."""
from __future__ import annotations

import doctest
import xml.etree.ElementTree as ET

import pytest

from matchmaker.analytics import funnel as funnel_module
from matchmaker.analytics.funnel import funnel, funnel_by, furthest_stage, stage_stays
from matchmaker.charts import funnel as funnel_chart
from matchmaker.charts.funnel import funnel_svg


def day(n: int) -> str:
    return f"2026-03-{n:02d}T00:00:00+00:00"


def history(gid: str, *steps: tuple[str | None, str, int]) -> list[dict]:
    return [{"engagement_id": gid, "from_status": a, "to_status": b, "at": day(d)} for a, b, d in steps]


def engagement(gid, status, demand_value=100.0, value=None, local=False, chain="nev", leader="E-L1", reason=None):
    return {"id": gid, "status": status, "demand_value": demand_value, "value": value, "supplier_local": local,
            "chain_id": chain, "leader_id": leader, "reason": reason, "opened_at": day(1)}


@pytest.fixture
def world():
    engagements = [
        engagement("G1", "contracted", 1000.0, value=800.0, local=True),
        engagement("G2", "contracted", 500.0, value=300.0, local=False, leader="E-L2"),
        engagement("G3", "declined", 200.0, reason="capacity"),
        engagement("G4", "closed", 400.0, reason="price", chain="ic"),
        engagement("G5", "samples", 50.0, chain="ic"),
        engagement("G6", "invited", 10.0),
    ]
    events = [
        *history("G1", (None, "invited", 1), ("invited", "accepted", 3), ("accepted", "contact", 4),
                 ("contact", "samples", 8), ("samples", "qualification", 10), ("qualification", "contracted", 20),
                 ("contracted", "contracted", 25)),  # a value correction is no stage change
        *history("G2", (None, "invited", 1), ("invited", "accepted", 2), ("accepted", "contracted", 6)),  # skips
        *history("G3", (None, "invited", 1), ("invited", "declined", 5)),
        *history("G4", (None, "invited", 1), ("invited", "accepted", 5), ("accepted", "contact", 6),
                 ("contact", "closed", 12)),
        *history("G5", (None, "invited", 1), ("invited", "accepted", 2), ("accepted", "contact", 3),
                 ("contact", "samples", 4)),
        *history("G6", (None, "invited", 1)),
    ]
    return engagements, events


def test_counts_are_cumulative_and_skipped_stages_count_as_passed(world):
    f = funnel(*world)
    assert [s["count"] for s in f["stages"]] == [6, 4, 4, 3, 2, 2]
    assert [s["demand_value"] for s in f["stages"]] == [2160.0, 1950.0, 1950.0, 1550.0, 1500.0, 1500.0]
    assert f["engagements"] == 6


def test_conversion_between_consecutive_stages(world):
    conversions = [s["conversion"] for s in funnel(*world)["stages"]]
    assert conversions == [round(4 / 6, 4), 1.0, 0.75, round(2 / 3, 4), 1.0, None]


def test_median_days_count_finished_stays_only(world):
    stages = {s["stage"]: s for s in funnel(*world)["stages"]}
    # invited: G1 2, G2 1, G3 4 (to declined), G4 4, G5 1; G6 is still invited and not counted
    assert stages["invited"]["median_days"] == 2.0 and stages["invited"]["finished_stays"] == 5
    # accepted: G1 1, G2 4 (to contracted), G4 1, G5 1
    assert stages["accepted"]["median_days"] == 1.0
    # contact: G1 4, G4 6 (to closed), G5 1 -> median 4; samples: G1 2, G5 still there
    assert stages["contact"]["median_days"] == 4.0
    assert stages["samples"]["median_days"] == 2.0 and stages["samples"]["finished_stays"] == 1
    assert stages["qualification"]["median_days"] == 10.0
    assert stages["contracted"]["median_days"] is None  # the last stage has no stay


def test_endings_with_reasons_and_contracted_value(world):
    f = funnel(*world)
    assert f["declined"] == {"count": 1, "reasons": {"capacity": 1}}
    assert f["closed"] == {"count": 1, "reasons": {"price": 1}}
    assert f["contracted_value"] == 1100.0
    assert f["contracted_local_value"] == 800.0


def test_empty_funnel():
    f = funnel([], [])
    assert [s["count"] for s in f["stages"]] == [0] * 6
    assert all(s["conversion"] is None and s["median_days"] is None for s in f["stages"])
    assert f["contracted_value"] == 0.0 and f["declined"]["count"] == 0


def test_grouped_by_chain_and_leader(world):
    by_chain = funnel_by(*world, key=lambda g: g["chain_id"])
    assert sorted(by_chain) == ["ic", "nev"]
    assert by_chain["ic"]["stages"][0]["count"] == 2 and by_chain["nev"]["stages"][0]["count"] == 4
    assert by_chain["nev"]["contracted_value"] == 1100.0
    by_leader = funnel_by(*world, key=lambda g: g["leader_id"])
    assert by_leader["E-L2"]["stages"][-1]["count"] == 1


def test_furthest_stage_uses_status_when_events_are_missing():
    assert furthest_stage("qualification", []) == 4
    assert furthest_stage("closed", history("G", (None, "invited", 1), ("invited", "accepted", 2),
                                            ("accepted", "closed", 3))) == 1
    assert furthest_stage("declined", []) == 0


def test_stays_start_at_the_opening_when_no_invited_event():
    events = history("G", ("invited", "accepted", 4))
    assert stage_stays(events, opened_at=day(1)) == {"invited": 3.0}


def test_missing_or_odd_values_count_as_zero():
    g = [engagement("G1", "contracted", demand_value=None, value=None, local=True)]
    f = funnel(g, [])
    assert f["stages"][0]["demand_value"] == 0.0 and f["contracted_local_value"] == 0.0


# -- the picture -------------------------------------------------------------------------------

def test_svg_is_well_formed_with_proportional_bars_and_escaped_labels():
    svg = funnel_svg([{"label": "邀请 <x>", "count": 10, "note": "1.2亿元"},
                      {"label": "Accepted & more", "count": 5, "note": ""},
                      {"label": "Contracted", "count": 0, "note": ""}], "漏斗")
    root = ET.fromstring(svg)  # parses: every text is escaped
    ns = "{http://www.w3.org/2000/svg}"
    widths = [float(r.get("width")) for r in root.iter(f"{ns}rect")]
    assert widths == [480.0, 240.0, 0.0]
    texts = [t.text for t in root.iter(f"{ns}text")]
    assert "邀请 <x>" in texts and "10 · 1.2亿元" in texts and "Accepted & more" in texts
    assert root.find(f"{ns}title").text == "漏斗" and root.get("viewBox") == "0 0 640 134"


def test_svg_of_no_rows_and_of_zero_counts():
    assert ET.fromstring(funnel_svg([], "t")).tag.endswith("svg")
    root = ET.fromstring(funnel_svg([{"label": "a", "count": 0, "note": ""}], "t"))
    assert [r.get("width") for r in root.iter("{http://www.w3.org/2000/svg}rect")] == ["0.0"]


@pytest.mark.parametrize("module", [funnel_module, funnel_chart])
def test_docstring_examples(module):
    assert doctest.testmod(module).failed == 0


def test_funnels_read_each_history_once_and_agree_with_the_single_funnels(world):
    from matchmaker.analytics.funnel import funnels
    both = funnels(*world, by_chain=lambda g: g["chain_id"], by_leader=lambda g: g["leader_id"])
    assert both["funnel"] == funnel(*world)
    assert both["by_chain"] == funnel_by(*world, key=lambda g: g["chain_id"])
    ic = [g for g in world[0] if g["chain_id"] == "ic"]
    assert both["by_chain"]["ic"] == funnel(ic, [e for e in world[1] if e["engagement_id"] in {"G4", "G5"}])
    assert sum(f["engagements"] for f in both["by_leader"].values()) == 6
