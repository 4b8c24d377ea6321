"""Localization rates as the API serves them: reads the projection (graph/localization.py) and the
potential's stored verdicts (services/potential.py: which open items have a local, fully qualified
best suggestion), and computes every figure with the pure module matchmaker.analytics.localization.

Who sees what (permissions.may_see_rates): chain, segment and category figures officials and admins;
a leader's own figures the leader's accounts too.
"""
from __future__ import annotations

from graph import chains as chain_repo
from graph import localization as localization_repo
from graph.db import GraphDB

from ..analytics.localization import Contract, DemandLine, Figure, Leader, Projection, breakdown
from ..errors import NotFound
from . import potential
from .permissions import Principal, may_see_rates, require_rates


def to_projection(rows: list[dict]) -> Projection:
    """The graph's rows (graph.localization) as the pure module's projection."""
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
                                                 r.get("category_id"), r.get("status") or "published")
        if r.get("engagement_id"):
            contracts[r["engagement_id"]] = Contract(r["engagement_id"], r["demand_id"],
                                                     float(r.get("contract_value") or 0),
                                                     bool(r.get("supplier_local")), r.get("contract_status"))
    p.leaders, p.demands, p.contracts = list(leaders.values()), list(demands.values()), list(contracts.values())
    return p


def all_chains(db: GraphDB, runtime, principal: Principal) -> list[dict]:
    """Every chain's rate, potential, target and parts (officials and admins)."""
    require_rates(principal, None)
    names = {c["id"]: c for c in chain_repo.chain_names(db)}
    rows = localization_repo.projection_rows(db)
    out = breakdown(to_projection(rows), None, potential.ids_from_projection(db, runtime, rows))
    return [{**_named(out["chains"][c].as_dict(ids=False), names.get(c, {}))} for c in out["chains"]]


def one_chain(db: GraphDB, runtime, principal: Principal, chain_id: str) -> dict:
    """A chain broken down by leader, segment and category; a leader's account gets its own figures only."""
    require_rates(principal, chain_id)
    chain = chain_repo.get_chain(db, chain_id)
    if chain is None:
        raise NotFound(f"no chain with id '{chain_id}'")
    rows = localization_repo.projection_rows(db, chain_id)
    projection = to_projection(rows)
    everything = may_see_rates(principal, None)
    out = breakdown(projection, chain_id, potential.ids_from_projection(db, runtime, rows) if everything else ())
    leaders = {l.id: l for l in projection.leaders}
    shown = [l for l in out["leaders"] if everything or may_see_rates(principal, l)]
    result = {"chain": None, "segments": [], "categories": [],
              "leaders": [_named(out["leaders"][l].as_dict(), leaders[l].__dict__) for l in sorted(shown)]}
    if everything:
        segments = {s["id"]: s for s in chain["segments"]}
        categories = {k["id"]: k for s in chain["segments"] for k in s["categories"]}
        result.update(chain=_named(out["chains"][chain_id].as_dict(), chain),
                      segments=_list(out["segments"], segments), categories=_list(out["categories"], categories))
    return result


def _list(figures: dict[str, Figure], names: dict[str, dict]) -> list[dict]:
    return [_named(f.as_dict(), names.get(i, {})) for i, f in figures.items()]


def _named(figure: dict, source: dict) -> dict:
    names = {k: source.get(k) for k in ("name", "name_en", "name_zh") if source.get(k) is not None}
    return {**figure, **names}
