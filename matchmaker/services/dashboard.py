"""The officials' dashboard of every chain: rate against target, trend, gaps, open demand, suggestions confirmed
and docking this month.

Reads (graph.dashboard), each aggregated in the server for every chain at once: per leader the totals the
rates are made of, per category its local suppliers and open demand, the docking activity of the month;
and the chains' rate snapshots. The rates are computed by the same pure module as everywhere
(matchmaker.analytics.localization) from a projection with one served and one unserved line per leader
(`leader_projection`): the same figures as the per-item projection, which costs ten times more to read.
No potential (it needs the matching engine per open item). Officials and admins only.
"""
from __future__ import annotations

from datetime import datetime, timezone

from graph import dashboard as dashboard_repo
from graph import rate_snapshots as snapshot_repo
from graph.db import GraphDB

from ..analytics.gaps import COVERED, GAP, WEAK, coverage_state
from ..analytics.localization import Contract, DemandLine, Leader, Projection, breakdown
from ..analytics.rate_snapshots import month_of, month_start, trend
from . import rate_inputs
from .permissions import Principal, require_rates

TOP_GAPS = 10


def _next_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:])
    return f"{year + 1:04d}-01" if number == 12 else f"{year:04d}-{number + 1:02d}"


def dashboard(db: GraphDB, principal: Principal, now: datetime | None = None, lists=None) -> dict:
    """{month, chains: [one row per chain, in the taxonomy's order], totals}. With the app's list index
    (`lists`) the per-leader and per-category totals are summed over its columns (services.rate_inputs)."""
    require_rates(principal, None)
    now = now or datetime.now(timezone.utc)
    month = month_of(now)
    names = dashboard_repo.chains(db)
    figures = breakdown(leader_projection(*rate_inputs.leader_totals(db, lists), {c["id"]: c["target"] for c in names}))
    series = snapshot_repo.of_scope(db, "chain", [c["id"] for c in names])
    activity = dashboard_repo.activity(db, month_start(month), month_start(_next_month(month)))
    coverage = rate_inputs.coverage_all(db, lists)
    rows = [_row(c, figures["chains"].get(c["id"]), series.get(c["id"], []), coverage.get(c["id"], []),
                 activity.get(c["id"], {})) for c in names]
    totals = {k: sum(r[k] for r in rows) for k in ("gaps", "weak", "covered", "open_demand_value",
                                                    "matches_confirmed", "engagements_opened", "contracts_signed")}
    return {"month": month, "chains": rows, "totals": totals}


def leader_projection(leaders: list[dict], contracted: dict[str, float], targets: dict) -> Projection:
    """The projection the rates need from per-leader totals (graph.dashboard.rate_totals): for each leader
    a line served locally (value B), one not served locally (T - B) carrying its local contracts (C)."""
    p = Projection(targets=dict(targets))
    for r in leaders:
        total, local = float(r.get("total") or 0), float(r.get("local") or 0)
        p.leaders.append(Leader(r["id"], annual_procurement=r.get("annual"), local_procurement=r.get("declared_local"),
                                chain_ids=tuple(r.get("chains") or ())))
        p.demands += [DemandLine(f"{r['id']}#local", r["id"], local, True),
                      DemandLine(f"{r['id']}#elsewhere", r["id"], total - local, False)]
        if contracted.get(r["id"]):
            p.contracts.append(Contract(f"{r['id']}#contracts", f"{r['id']}#elsewhere", contracted[r["id"]]))
    return p


def _row(chain: dict, figure, snapshots: list[dict], coverage: list[dict], activity: dict) -> dict:
    rate = figure.rate if figure else None
    last = snapshots[-1] if snapshots else None
    states = [coverage_state(int(r.get("local_suppliers") or 0)) for r in coverage]
    return {"id": chain["id"], "name_zh": chain.get("name_zh"), "name_en": chain.get("name_en"),
            "rate": None if rate is None else round(rate, 6), "target": figure.target if figure else None,
            "total": figure.total if figure else 0.0,
            "local_value": figure.local_value if figure else 0.0,
            "contracted_value": figure.contracted_value if figure else 0.0,
            "last_snapshot": {"month": last["month"], "rate": last["rate"]} if last else None,
            "trend": trend(last["rate"] if last else None, rate),
            "categories": len(coverage), "gaps": states.count(GAP), "weak": states.count(WEAK),
            "covered": states.count(COVERED),
            "open_demand_value": float(sum(r.get("demand_value") or 0 for r in coverage)),
            "matches_confirmed": int(activity.get("confirmed", 0)),
            "engagements_opened": int(activity.get("opened", 0)), "contracts_signed": int(activity.get("signed", 0)),
            "contracted_value_signed": float(activity.get("signed_value", 0.0))}


def chain_report(db: GraphDB, principal: Principal, chain_id: str, now: datetime | None = None,
                 lists=None) -> dict:
    """One chain's printable report: rate and its parts, trend, gap counts, the top gaps by demand value."""
    from .gap_maps import chain_gap_map
    from .rate_snapshots import chain_rates

    require_rates(principal, None)
    gap_map = chain_gap_map(db, chain_id, lists=lists)          # NotFound for an unknown chain
    figures = breakdown(rate_inputs.projection(db, chain_id, lists).projection, chain_id)
    figure = figures["chains"][chain_id]
    rates = chain_rates(db, principal, chain_id)
    snapshots = rates["chain"]["snapshots"]
    last = snapshots[-1] if snapshots else None
    top = sorted((n for n in gap_map.nodes if n.state in (GAP, WEAK) and n.demand_value > 0),
                 key=lambda n: (-n.demand_value, n.id))[:TOP_GAPS]
    return {"chain": gap_map.chain, "figure": figure.as_dict(ids=False), "snapshots": snapshots,
            "trend": trend(last["rate"] if last else None, figure.rate), "summary": gap_map.summary(),
            "top_gaps": [n.as_dict() for n in top], "month": month_of(now or datetime.now(timezone.utc))}
