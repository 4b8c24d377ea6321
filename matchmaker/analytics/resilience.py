"""A chain's resilience, over a plain graph of who supplies and who buys in each of its categories. Pure:
networkx in, plain dicts out, no I/O.

The graph (`build_graph`): a node ("category", id) per category of the chain; a node ("firm", id) per firm;
an edge firm -> category for each firm offering published items in it (attribute `local`), and an edge
category -> firm for each firm with open demand in it (attribute `value`, the demand value it asks for).

Figures (docs/LOCALIZATION.md, "Resilience"):
- single sources: categories offered by exactly one firm, local or not (`local` says which);
- critical suppliers: the local firms whose loss would open gaps (they are the only local supplier of a
  category), ranked by the open demand value of those categories, then by how many;
- exposed leaders: firms whose open demand sits in categories with exactly one supplier, outside the
  home region; ranked by that value;
- completeness: the share of the chain's categories with at least one local supplier.
"""
from __future__ import annotations

from typing import Iterable

import networkx as nx

CATEGORY, FIRM = "category", "firm"


def build_graph(categories: Iterable[str], supplies: Iterable[tuple[str, str, bool]],
                demands: Iterable[tuple[str, str, float]]) -> nx.DiGraph:
    """categories: ids; supplies: (category, firm, firm is local); demands: (category, buyer, value).
    Supplies and demands outside `categories` are ignored; repeated demands of a buyer add up."""
    g = nx.DiGraph()
    for k in categories:
        g.add_node((CATEGORY, k))
    for k, firm, local in supplies:
        if (CATEGORY, k) in g:
            g.add_edge((FIRM, firm), (CATEGORY, k), local=bool(local))
    for k, buyer, value in demands:
        if (CATEGORY, k) in g:
            edge = g.get_edge_data((CATEGORY, k), (FIRM, buyer))
            if edge is None:
                g.add_edge((CATEGORY, k), (FIRM, buyer), value=float(value or 0))
            else:
                edge["value"] += float(value or 0)
    return g


def _categories(g: nx.DiGraph) -> list[str]:
    return sorted(n[1] for n in g if n[0] == CATEGORY)


def _suppliers(g: nx.DiGraph, k: str) -> list[tuple[str, bool]]:
    return sorted((f[1], bool(g.edges[f, (CATEGORY, k)]["local"])) for f in g.predecessors((CATEGORY, k)))


def demand_value(g: nx.DiGraph, k: str) -> float:
    return sum(g.edges[(CATEGORY, k), b]["value"] for b in g.successors((CATEGORY, k)))


def single_sources(g: nx.DiGraph) -> list[dict]:
    """Categories with exactly one supplier: most demand value first, then by id."""
    out = []
    for k in _categories(g):
        suppliers = _suppliers(g, k)
        if len(suppliers) == 1:
            out.append({"category": k, "supplier": suppliers[0][0], "local": suppliers[0][1],
                        "demand_value": demand_value(g, k)})
    return sorted(out, key=lambda r: (-r["demand_value"], r["category"]))


def critical_suppliers(g: nx.DiGraph, limit: int | None = None) -> list[dict]:
    """Local firms whose loss would leave categories without a local supplier (opening gaps)."""
    opened: dict[str, list[str]] = {}
    for k in _categories(g):
        local = [f for f, is_local in _suppliers(g, k) if is_local]
        if len(local) == 1:
            opened.setdefault(local[0], []).append(k)
    out = [{"supplier": f, "gaps": len(ks), "categories": ks,
            "demand_value": sum(demand_value(g, k) for k in ks)} for f, ks in opened.items()]
    out.sort(key=lambda r: (-r["demand_value"], -r["gaps"], r["supplier"]))
    return out[:limit] if limit is not None else out


def exposed_leaders(g: nx.DiGraph, limit: int | None = None) -> list[dict]:
    """Buyers whose open demand sits in categories whose one supplier is outside the region."""
    fragile = {r["category"] for r in single_sources(g) if not r["local"]}
    exposure: dict[str, dict] = {}
    for k in sorted(fragile):
        for buyer in g.successors((CATEGORY, k)):
            value = g.edges[(CATEGORY, k), buyer]["value"]
            row = exposure.setdefault(buyer[1], {"leader": buyer[1], "exposed_value": 0.0, "categories": []})
            row["exposed_value"] += value
            row["categories"].append(k)
    for row in exposure.values():
        total = sum(g.edges[e]["value"] for e in g.in_edges((FIRM, row["leader"])))
        row["demand_value"] = total
        row["share"] = row["exposed_value"] / total if total > 0 else None
    out = sorted(exposure.values(), key=lambda r: (-r["exposed_value"], r["leader"]))
    return out[:limit] if limit is not None else out


def completeness(g: nx.DiGraph) -> dict:
    """The share of the chain's categories with at least one local supplier (None without categories)."""
    categories = _categories(g)
    local = sum(1 for k in categories if any(is_local for _, is_local in _suppliers(g, k)))
    return {"categories": len(categories), "with_local_supply": local,
            "index": local / len(categories) if categories else None}


def resilience(g: nx.DiGraph, limit: int | None = None) -> dict:
    return {"completeness": completeness(g), "single_sources": single_sources(g),
            "critical_suppliers": critical_suppliers(g, limit), "exposed_leaders": exposed_leaders(g, limit)}
