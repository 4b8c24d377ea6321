"""A chain's resilience as the API and the chain page serve it: reads the projection (graph/resilience.py,
one query), computes the figures with the pure module matchmaker.analytics.resilience, and names the
categories and firms (one more query).

Who sees what: the completeness index, single sources and critical suppliers are public like the gap map;
the leaders' exposure names what a firm buys and from whom, so each row is shown only to those
permissions.may_see_exposure allows (officials, admins, the leader's own accounts).
"""
from __future__ import annotations

from graph import match_feed
from graph import resilience as resilience_repo
from graph.db import GraphDB

from ..analytics.resilience import build_graph, resilience
from ..lists.coverage import category_pairs
from . import chains as chain_service
from .permissions import Principal, is_manager, may_see_exposure

LISTED = 20   # critical suppliers and exposed leaders listed, most at stake first


def projection(db: GraphDB, chain: dict, lists=None) -> tuple[list, list, list]:
    """(category ids, (category, firm, local) supplies, (category, buyer, value) demands) of the chain."""
    supply, demand = (lists.catalog("supply").parts(), lists.catalog("demand").parts()) if lists else (None, None)
    if supply is not None and demand is not None:
        categories = [k["id"] for s in chain.get("segments") or [] for k in s.get("categories") or []]
        return (categories, *category_pairs(supply, demand, categories))
    rows = resilience_repo.projection_rows(db, chain["id"])
    return ([r["category_id"] for r in rows if r["kind"] == "category"],
            [(r["category_id"], r["firm_id"], bool(r["local"])) for r in rows if r["kind"] == "supply"],
            [(r["category_id"], r["firm_id"], r["value"] or 0) for r in rows if r["kind"] == "demand"])


def chain_resilience(db: GraphDB, principal: Principal, chain_id: str, limit: int = LISTED, lists=None) -> dict:
    """With the app's list index (`lists`) the (category, firm) pairs come from its columns, else from the graph."""
    chain = chain_service.get_chain(db, chain_id)  # NotFound for an unknown chain
    out = resilience(build_graph(*projection(db, chain, lists)))
    exposed = [r for r in out["exposed_leaders"] if may_see_exposure(principal, r["leader"])][:limit]
    critical = out["critical_suppliers"][:limit]
    firms = match_feed.enterprises(db, sorted({r["supplier"] for r in out["single_sources"] + critical}
                                              | {r["leader"] for r in exposed}))
    categories = {k["id"]: {f: k.get(f) for f in ("id", "name_zh", "name_en")}
                  for s in chain.get("segments") or [] for k in s.get("categories") or []}

    def firm(firm_id: str) -> dict:
        return firms.get(firm_id) or {"id": firm_id}

    def category(category_id: str) -> dict:
        return categories.get(category_id) or {"id": category_id}

    return {"chain": {k: chain.get(k) for k in ("id", "name_zh", "name_en")},
            "completeness": out["completeness"],
            "single_sources": [{**r, "category": category(r["category"]), "supplier": firm(r["supplier"])}
                               for r in out["single_sources"]],
            "critical_suppliers": [{**r, "supplier": firm(r["supplier"]),
                                    "categories": [category(k) for k in r["categories"]]} for r in critical],
            "exposed_leaders": [{**r, "leader": firm(r["leader"]), "categories": [category(k) for k in r["categories"]]}
                                for r in exposed],
            "exposure_scope": "all" if is_manager(principal) else ("own" if principal.enterprise_id else "none")}
