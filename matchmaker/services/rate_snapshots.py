"""Rates over time: taking a month's snapshot of every rate, and reading a chain's and its leaders' series.

Taking: the localization projection of all chains (graph.localization) in one read, every figure by the
pure module, one snapshot per scope (all, chain, leader) written by graph.rate_snapshots. A month that
already has snapshots is left alone (the result says so): snapshots are never rewritten. The potential
needs the matching engine and the per-item projection; without one (`serve` at start, `--no-potential`)
`potential` is stored as null and the figures come from per-leader totals aggregated in the server
(services.dashboard.leader_projection: the same figures, about ten times cheaper to read).
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

from graph import chains as chain_repo
from graph import dashboard as dashboard_repo
from graph import rate_snapshots as snapshot_repo
from graph.db import GraphDB
from graph.errors import DuplicateKey

from ..analytics.localization import breakdown
from ..analytics.rate_snapshots import check_month, last_ended_month, snapshot_rows
from ..errors import N_, NotFound
from ..timestamps import stamp
from . import potential
from . import rate_inputs
from .permissions import Principal, may_see_rates, require_rates


def take(db: GraphDB, runtime=None, month: str | None = None, now: datetime | None = None,
         progress: Callable[[int], None] | None = None, on_total: Callable[[int], None] | None = None,
         finish_checks: bool = True, on_check: Callable[[int], None] | None = None, lists=None) -> dict:
    """Snapshot every rate for `month` (default: the last ended month). Returns
    {month, taken: bool, written, kept}: `taken` False when the month already had its snapshots.
    With a runtime the potential first has every due item checked (`on_check` hears each batch), or,
    with `finish_checks` False (a web request), only a request's budget of them. With the app's list
    index (`lists`) the demand items are read from it (services.rate_inputs)."""
    now = now or datetime.now(timezone.utc)
    month = check_month(month, now)
    kept = snapshot_repo.month_counts(db, month)
    if kept:
        return {"month": month, "taken": False, "written": 0, "kept": sum(kept.values())}
    if runtime is None:     # no potential: the per-leader totals make the same figures, ten times cheaper
        from .dashboard import leader_projection

        targets = {c["id"]: c["target"] for c in dashboard_repo.chains(db)}
        figures = breakdown(leader_projection(*rate_inputs.leader_totals(db, lists), targets))
    else:
        if finish_checks:
            potential.complete(db, runtime, progress=on_check)
        inputs = rate_inputs.projection(db, None, lists)
        figures = breakdown(inputs.projection, None, potential.ids_from_projection(db, runtime, inputs.potential_rows))
    rows = snapshot_rows(figures, month, stamp(now), with_potential=runtime is not None)
    if on_total:
        on_total(len(rows))
    snapshot_repo.write(db, rows, progress)
    return {"month": month, "taken": True, "written": len(rows), "kept": len(rows)}


def take_if_due(db: GraphDB, now: datetime | None = None) -> dict | None:
    """`serve` at start: the last ended month's snapshot when none exists (None when there is one).

    Hosts started together all find none; the MERGE of all but one then fails on the unique id,
    and the month is taken all the same (tests/multihost)."""
    now = now or datetime.now(timezone.utc)
    if snapshot_repo.month_counts(db, last_ended_month(now)):
        return None
    try:
        return take(db, None, None, now)
    except DuplicateKey:
        return None


def chain_rates(db: GraphDB, principal: Principal, chain_id: str) -> dict:
    """A chain's snapshots and each of its leaders', oldest first. Officials and admins see all; a
    leader's account its own series only (and no chain series)."""
    require_rates(principal, chain_id)
    chain = chain_repo.get_chain(db, chain_id)
    if chain is None:
        raise NotFound(N_("no chain with id '%(id)s'") % {"id": chain_id})
    everything = may_see_rates(principal, None)
    leaders = [l for l in snapshot_repo.chain_leaders(db, chain_id) if everything or may_see_rates(principal, l["id"])]
    series = snapshot_repo.of_scope(db, "leader", [l["id"] for l in leaders])
    head = {k: chain.get(k) for k in ("id", "name_zh", "name_en")}
    head["target"] = chain.get("localization_target")
    return {"chain": {**head, "snapshots": snapshot_repo.of_scope(db, "chain", [chain_id])[chain_id]}
            if everything else None,
            "leaders": [{**l, "snapshots": series.get(l["id"], [])} for l in leaders],
            "name_zh": head["name_zh"], "name_en": head["name_en"], "id": chain_id}
