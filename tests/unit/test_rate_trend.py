"""Rates over time, pure parts: the trend chart's SVG, the month rules, the snapshot rows, the trend, and
the snapshot job's rules (once per month, never rewritten) over an in-memory store."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timezone

import pytest

from matchmaker.analytics.localization import DemandLine, Leader, Projection, breakdown
from matchmaker.analytics.rate_snapshots import (check_month, last_ended_month, previous_month, snapshot_id,
                                                 snapshot_rows, trend)
from matchmaker.charts.rate_trend import SMALL, Size, TrendTexts, draw_rate_trend, y_top
from matchmaker.errors import Invalid

SVG = "{http://www.w3.org/2000/svg}"
TEXTS = TrendTexts("本地配套率 <趋势>", "本地配套率", "目标", "暂无快照", lambda s: f"{s['month']}: {s['rate']}")
SERIES = [{"month": "2026-08", "rate": 0.2}, {"month": "2026-09", "rate": None}, {"month": "2026-10", "rate": 0.35},
          {"month": "2026-11", "rate": 0.3}]
NOW = datetime(2026, 12, 3, 8, 0, tzinfo=timezone.utc)


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_chart_is_well_formed_with_one_point_per_month_that_has_a_rate():
    root = _parse(draw_rate_trend(SERIES, 0.4, TEXTS))
    points = root.findall(f".//{SVG}circle[@class='point']")
    assert len(points) == 3
    assert [p.find(f"{SVG}title").text for p in points] == ["2026-08: 0.2", "2026-10: 0.35", "2026-11: 0.3"]
    xs = [float(p.get("cx")) for p in points]
    assert xs == sorted(xs) and len(set(xs)) == 3
    assert root.find(f"{SVG}title").text == "本地配套率 <趋势>"  # escaped in the source, intact once parsed


def test_target_line_is_dashed_at_its_height_and_points_sit_on_the_same_scale():
    size = Size()
    root = _parse(draw_rate_trend(SERIES, 0.4, TEXTS, size))
    line = root.find(f".//{SVG}line[@class='target']")
    assert line.get("stroke-dasharray")
    top = y_top([0.2, 0.35, 0.3], 0.4)
    assert top == 50.0
    plot_h = size.height - size.top - size.bottom
    assert float(line.get("y1")) == pytest.approx(size.top + plot_h * (1 - 40 / top), abs=0.1)
    first = root.findall(f".//{SVG}circle[@class='point']")[0]
    assert float(first.get("cy")) == pytest.approx(size.top + plot_h * (1 - 20 / top), abs=0.1)
    assert "目标 40%" in "".join(root.find(f".//{SVG}g[@class='legend']").itertext())


def test_no_snapshot_and_no_target_still_draws_a_labelled_chart():
    root = _parse(draw_rate_trend([], None, TEXTS, SMALL))
    assert not root.findall(f".//{SVG}circle") and root.find(f".//{SVG}line[@class='target']") is None
    assert "暂无快照" in "".join(root.itertext())


def test_a_single_month_is_centred_and_a_full_rate_fits():
    root = _parse(draw_rate_trend([{"month": "2026-11", "rate": 1.0}], 0.5, TEXTS))
    (point,) = root.findall(f".//{SVG}circle[@class='point']")
    assert float(point.get("cx")) == pytest.approx(Size().left + (Size().width - Size().left - Size().right) / 2)
    assert float(point.get("cy")) == pytest.approx(Size().top)


def test_months():
    assert previous_month("2026-01") == "2025-12" and previous_month("2026-11") == "2026-10"
    assert last_ended_month(NOW) == "2026-11"
    assert check_month(None, NOW) == "2026-11" and check_month("2025-02", NOW) == "2025-02"


@pytest.mark.parametrize("month", ["2026-12", "2027-01", "2026-13", "26-11", "2026-1", "november", "2026-11-01"])
def test_a_bad_or_unfinished_month_is_refused_naming_the_field(month):
    with pytest.raises(Invalid) as caught:
        check_month(month, NOW)
    assert list(caught.value.fields) == ["month"]


def test_trend_arrows():
    assert (trend(0.3, 0.35), trend(0.35, 0.3), trend(0.3, 0.3002), trend(None, 0.3), trend(0.3, None)) == \
        ("up", "down", "flat", None, None)


def _projection() -> Projection:
    return Projection(leaders=[Leader("L1", chain_ids=("nev",)), Leader("L2", annual_procurement=1000,
                                                                        local_procurement=500, chain_ids=("nev",))],
                      demands=[DemandLine("d1", "L1", 100, True, "nev"), DemandLine("d2", "L1", 300, False, "nev")],
                      targets={"nev": 0.4, "rail": 0.5})


def test_snapshot_rows_hold_every_scope_with_its_parts():
    rows = snapshot_rows(breakdown(_projection(), None, {"d2"}), "2026-11", "2026-12-01T00:00:00+00:00")
    by_id = {r["id"]: r for r in rows}
    assert set(by_id) == {"2026-11|all|", "2026-11|chain|nev", "2026-11|chain|rail", "2026-11|leader|L1",
                          "2026-11|leader|L2"}
    nev = by_id["2026-11|chain|nev"]
    assert (nev["rate"], nev["potential"], nev["target"], nev["total"], nev["local_value"]) == \
        (round(600 / 1400, 6), 1.0 * round(900 / 1400, 6), 0.4, 1400.0, 600.0)
    assert by_id["2026-11|chain|rail"]["rate"] is None  # no leader: no rate, still kept
    assert snapshot_id("2026-11", "all", None) == "2026-11|all|"
    no_potential = snapshot_rows(breakdown(_projection()), "2026-11", "t", with_potential=False)
    assert all(r["potential"] is None for r in no_potential)


class FakeStore:
    """graph.rate_snapshots in memory (MERGE-on-id semantics) over projection rows the test can change."""

    def __init__(self, projection_rows):
        self.kept: dict[str, dict] = {}
        self.projection_rows = projection_rows

    def month_counts(self, _db, month):
        out = {}
        for s in self.kept.values():
            if s["month"] == month:
                out[s["scope"]] = out.get(s["scope"], 0) + 1
        return out

    def write(self, _db, rows, progress=None):
        for r in rows:
            self.kept.setdefault(r["id"], dict(r))
        if progress:
            progress(len(rows))


@pytest.fixture
def store(monkeypatch):
    from graph import dashboard as dashboard_repo
    from graph import localization as localization_repo
    from graph import rate_snapshots as snapshot_repo

    rows = [{"kind": "chain", "chain_id": "nev", "target": 0.4},
            {"kind": "item", "leader_id": "L1", "name": "甲", "chains": ["nev"], "demand_id": "d1", "value": 100,
             "served": True, "chain_id": "nev", "status": "published"},
            {"kind": "item", "leader_id": "L1", "name": "甲", "chains": ["nev"], "demand_id": "d2", "value": 300,
             "served": False, "chain_id": "nev", "status": "published"}]
    fake = FakeStore(rows)

    def rate_totals(_db):
        """graph.dashboard.rate_totals over the fake rows (one leader, no contracts)."""
        items = [r for r in fake.projection_rows if r["kind"] == "item"]
        return ([{"id": "L1", "annual": None, "declared_local": None, "chains": ["nev"],
                  "total": sum(r["value"] for r in items), "local": sum(r["value"] for r in items if r["served"])}],
                {})

    monkeypatch.setattr(dashboard_repo, "chains", lambda _db: [{"id": "nev", "target": 0.4}])
    monkeypatch.setattr(dashboard_repo, "rate_totals", rate_totals)
    monkeypatch.setattr(snapshot_repo, "month_counts", fake.month_counts)
    monkeypatch.setattr(snapshot_repo, "write", fake.write)
    monkeypatch.setattr(localization_repo, "projection_rows", lambda _db, chain=None: fake.projection_rows)
    return fake


def test_the_job_takes_a_month_once_and_never_rewrites_it(store):
    from matchmaker.services import rate_snapshots

    first = rate_snapshots.take(None, None, None, NOW)
    assert (first["month"], first["taken"], first["written"]) == ("2026-11", True, 3)
    assert store.kept["2026-11|chain|nev"]["rate"] == 0.25
    store.projection_rows[1]["served"] = False           # the graph moves on ...
    again = rate_snapshots.take(None, None, "2026-11", NOW)
    assert (again["taken"], again["written"], again["kept"]) == (False, 0, 3)
    assert store.kept["2026-11|chain|nev"]["rate"] == 0.25   # ... the kept month does not
    assert rate_snapshots.take_if_due(None, NOW) is None
    assert rate_snapshots.take_if_due(None, datetime(2027, 1, 2, tzinfo=timezone.utc))["month"] == "2026-12"
    assert store.kept["2026-12|chain|nev"]["rate"] == 0.0


def test_hosts_starting_together_take_the_month_once(store, monkeypatch):
    """Both find no snapshot; the other host's write lands first, ours fails on the unique id."""
    from graph import rate_snapshots as snapshot_repo
    from graph.errors import DuplicateKey
    from matchmaker.services import rate_snapshots

    def other_host_first(db, rows, progress=None):
        store.write(db, rows, progress)
        raise DuplicateKey("RateSnapshot.id")

    monkeypatch.setattr(snapshot_repo, "write", other_host_first)
    assert rate_snapshots.take_if_due(None, NOW) is None
    assert store.kept["2026-11|chain|nev"]["rate"] == 0.25


def test_the_job_refuses_an_unfinished_month_and_writes_nothing(store):
    from matchmaker.services import rate_snapshots

    with pytest.raises(Invalid):
        rate_snapshots.take(None, None, "2026-12", NOW)
    assert store.kept == {}
