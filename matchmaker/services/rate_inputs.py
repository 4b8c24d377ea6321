"""Where the localization rates' inputs come from.

With the app's list index (`lists`, matchmaker.lists) the demand items are read from its mapped
columns, and the graph gives only the small parts: the scope's leaders, the contracts on their
items, the potential's verdicts of their open items, the taxonomy's ids. Without it (the index is
building, the CLI) the graph's queries answer: graph.localization's one projection query, and
graph.dashboard's totals. Both ways give the same figures (tests/integration/test_rate_inputs_index.py);
at 1,000,000 items the graph's projection of the largest chain reads about 24,000 rows in 3-4 s
(docs/BENCHMARKS.md, "Chains at scale").
"""
from __future__ import annotations

from dataclasses import dataclass, field

from graph import dashboard as dashboard_repo
from graph import localization as localization_repo
from graph import potential as potential_repo
from graph.db import GraphDB

from ..analytics.localization import (OPEN, Contract, DemandLine, ItemSums, Leader, Projection, counts_as_local,
                                      summed_breakdown, verdict_is_current)
from ..lists.buyers import items_of, sums_of, totals_of
from ..lists.columns import code
from ..lists.coverage import category_coverage
from ..rules.vocab import STATUSES


@dataclass
class RateInputs:
    projection: Projection
    # The open items not served locally with their kept verdicts, as services.potential reads them:
    # {demand_id, status, served, potential, potential_due}.
    potential_rows: list[dict] = field(default_factory=list)


def projection(db: GraphDB, chain_id: str | None = None, lists=None) -> RateInputs:
    """The projection of one chain's leaders (every chain's when None)."""
    parts = _demand_parts(lists)
    if parts is None:
        rows = localization_repo.projection_rows(db, chain_id)
        return RateInputs(to_projection(rows), rows)
    leaders = _leaders(db, chain_id)
    items = items_of(parts, [l.id for l in leaders])
    names = {code(i): i for i in localization_repo.taxonomy_ids(db)}
    statuses = {code(s): s for s in STATUSES["demand"]} | {0: OPEN}
    columns, values = items.columns, items.value()
    demands = [DemandLine(item_id, buyer, float(value), bool(served), names.get(chain), names.get(segment),
                          names.get(category), statuses.get(status, "unknown"))
               for item_id, buyer, value, served, chain, segment, category, status in zip(
                   items.ids, items.buyers, values.tolist(), columns["served"].tolist(),
                   columns["chain_id"].tolist(), columns["segment_id"].tolist(),
                   columns["category_id"].tolist(), columns["status"].tolist())]
    contracts = [_contract(r) for r in localization_repo.contracts(db, [l.id for l in leaders])]
    p = Projection(leaders, demands, contracts, localization_repo.targets(db, chain_id))
    seqs = dict(zip(items.ids, columns["seq"].tolist()))
    return RateInputs(p, _potential_rows(db, [d for d in demands if d.status == OPEN and not d.current_supplier_local],
                                         seqs))


def _leaders(db: GraphDB, chain_id: str | None) -> list[Leader]:
    return [Leader(l["id"], l["name"] or "", l["name_en"], l["annual"], l["local"], tuple(l["chains"]))
            for l in localization_repo.leaders(db, chain_id)]


def _contract(r: dict) -> Contract:
    return Contract(r["id"], r["demand_id"], float(r["value"] or 0), bool(r["supplier_local"]), r["status"])


def _potential_rows(db: GraphDB, open_items: list[DemandLine], seqs: dict[str, int]) -> list[dict]:
    """What graph.localization's projection says of each open item's verdict (`potential_due`: never
    checked, or edited after its check)."""
    verdicts = potential_repo.verdicts(db, [d.id for d in open_items])
    rows = []
    for d in open_items:
        verdict = verdicts.get(d.id)
        rows.append({"demand_id": d.id, "status": d.status, "served": False,
                     "potential": verdict["local"] if verdict else None,
                     "potential_due": verdict is None or not verdict_is_current(verdict["seq"] or 0, seqs[d.id])})
    return rows


def every_chain(db: GraphDB, lists, potential: bool = True) -> dict | None:
    """breakdown() of every chain from per-leader sums over the list index (None while it cannot answer):
    400,000 demand items at 1M make a line per item cost seconds. The potential counts the kept local-fit
    verdicts taken after their item's last change; items still due wait for the keeper (seconds), not
    for this request (the chain scope checks some inline)."""
    parts = _demand_parts(lists)
    if parts is None:
        return None
    leaders = _leaders(db, None)
    ids = [l.id for l in leaders]
    contracts: dict[str, list[Contract]] = {}
    for r in localization_repo.contracts(db, ids):
        if counts_as_local(c := _contract(r), bool(r["served"])):
            contracts.setdefault(r["leader_id"], []).append(c)
    fits = potential_repo.local_fits(db) if potential else {}
    sums = sums_of(parts, ids, fits, {c.demand_id for cs in contracts.values() for c in cs})
    per_leader = {l: ItemSums(float(sums.total[i]), float(sums.local[i]), tuple(sums.local_ids[i]),
                              float(sums.potential[i]), tuple(sums.potential_ids[i])) for i, l in enumerate(ids)}
    return summed_breakdown(leaders, per_leader, contracts, localization_repo.targets(db))


def leader_totals(db: GraphDB, lists=None) -> tuple[list[dict], dict[str, float]]:
    """What graph.dashboard.rate_totals gives: per leader {id, annual, declared_local, chains, total, local},
    and {leader id: contracted local value}."""
    parts = _demand_parts(lists)
    if parts is None:
        return dashboard_repo.rate_totals(db)
    leaders = localization_repo.leaders(db)
    totals = totals_of(parts, [l["id"] for l in leaders])
    out = [{"id": l["id"], "annual": l["annual"], "declared_local": l["local"], "chains": l["chains"],
            "total": totals[l["id"]][0], "local": totals[l["id"]][1]} for l in leaders]
    return out, dashboard_repo.local_contracts(db)


def coverage_all(db: GraphDB, lists=None) -> dict[str, list[dict]]:
    """What graph.dashboard.coverage_all gives: {chain id: [{id, local_suppliers, demand_value}]}."""
    supply, demand = (lists.catalog("supply").parts(), lists.catalog("demand").parts()) if lists else (None, None)
    if supply is None or demand is None:
        return dashboard_repo.coverage_all(db)
    categories = dashboard_repo.categories(db)
    counts = category_coverage(supply, demand, [k["id"] for k in categories])
    out: dict[str, list[dict]] = {}
    for k in categories:
        c = counts[k["id"]]
        out.setdefault(k["chain_id"], []).append({"id": k["id"], "local_suppliers": c["local_suppliers"],
                                                  "demand_value": c["demand_value"]})
    return out


def to_projection(rows: list[dict]) -> Projection:
    """The graph's rows (graph.localization.projection_rows) as the pure module's projection."""
    p = Projection()
    leaders: dict[str, Leader] = {}
    demands: dict[str, DemandLine] = {}
    contracts: dict[str, Contract] = {}
    for r in rows:
        if r["kind"] == "chain":
            p.targets[r["chain_id"]] = r["target"]
            continue
        if r["leader_id"] not in leaders:
            leaders[r["leader_id"]] = Leader(r["leader_id"], r.get("name") or "", r.get("name_en"), r.get("annual"),
                                             r.get("local"), tuple(r.get("chains") or ()))
        if r.get("demand_id") and r["demand_id"] not in demands:
            demands[r["demand_id"]] = DemandLine(r["demand_id"], r["leader_id"], float(r.get("value") or 0),
                                                 bool(r.get("served")), r.get("chain_id"), r.get("segment_id"),
                                                 r.get("category_id"), r.get("status") or OPEN)
        if r.get("engagement_id"):
            contracts[r["engagement_id"]] = Contract(r["engagement_id"], r["demand_id"],
                                                     float(r.get("contract_value") or 0),
                                                     bool(r.get("supplier_local")), r.get("contract_status"))
    p.leaders, p.demands, p.contracts = list(leaders.values()), list(demands.values()), list(contracts.values())
    return p


def _demand_parts(lists):
    return lists.catalog("demand").parts() if lists is not None else None
