"""Chain gap maps and category pages: where the chain is broken or thin, and who could fill it."""
from __future__ import annotations

from graph import gaps as gap_repo
from graph import match_feed
from graph.db import GraphDB

from ..analytics.gaps import GapMap, build_gap_map, coverage_state, rank_cultivation
from ..analytics.localization import Figure, breakdown
from ..errors import N_, NotFound
from ..lists.coverage import category_coverage
from ..matching.engine import Filters
from ..matching.ranking import GOOD_FIT
from . import chains as chain_service
from . import rate_inputs

DEMANDS_PROBED = 5        # a category's most valuable open demand items asked for outside suppliers
INVESTMENT_TARGETS = 10


def chain_gap_map(db: GraphDB, chain_id: str, rates: bool = True, lists=None) -> GapMap:
    """The chain's map; each node's rate is its category figure of the localization module (read in the
    localization projection's one query). `rates` False (a reader who may not see rates, per
    permissions.may_see_rates) leaves the rates and their parts out. With the app's list index (`lists`)
    the coverage counts and the rates' demand items come from its columns, else from the graph."""
    chain = chain_service.get_chain(db, chain_id)  # NotFound for an unknown chain
    figures = category_figures(db, chain_id, lists) if rates else None
    return build_gap_map(chain, coverage(db, chain_id, lists), figures)


def coverage(db: GraphDB, chain_id: str, lists=None) -> list[dict]:
    """Each category of the chain with its local and outside suppliers and open demand (graph.gaps.coverage)."""
    supply, demand = (lists.catalog("supply").parts(), lists.catalog("demand").parts()) if lists else (None, None)
    if supply is None or demand is None:
        return gap_repo.coverage(db, chain_id)
    categories = gap_repo.categories(db, chain_id)
    counts = category_coverage(supply, demand, [k["id"] for k in categories])
    return [{**k, **counts[k["id"]]} for k in categories]


def category_figures(db: GraphDB, chain_id: str, lists=None) -> dict[str, Figure]:
    """Every category figure of the chain, as GET /chains/<id>/localization computes them."""
    return breakdown(rate_inputs.projection(db, chain_id, lists).projection, chain_id)["categories"]


def category_page(db: GraphDB, runtime, category_id: str, rates: bool = False, lists=None) -> dict:
    """A category's local suppliers, open demand, cultivation candidates and investment targets; with
    `rates`, its localization figure (the same as on the chain's gap map)."""
    found = gap_repo.category_page(db, category_id)
    if found is None:
        raise NotFound(N_("no category with id '%(id)s'") % {"id": category_id})
    figure = None
    if rates and (found.get("chain") or {}).get("id"):
        figure = category_figures(db, found["chain"]["id"], lists).get(category_id, Figure("category", category_id))
    local = [s for s in found["suppliers"] if (s["enterprise"] or {}).get("local")]
    outside = [s for s in found["suppliers"] if not (s["enterprise"] or {}).get("local")]
    demands = found["demand_items"]
    return {**{k: found[k] for k in ("category", "segment", "chain")},
            "state": coverage_state(len(local)), "local_suppliers": local, "outside_suppliers": outside,
            "demand_items": demands, "demand_value": sum(d.get("value") or 0 for d in demands),
            "leaders": _names(db, {d.get("enterprise_id") for d in demands}),
            "cultivation": rank_cultivation(found["neighbour_smes"]),
            "investment_targets": investment_targets(db, runtime, demands, outside),
            "figure": figure.as_dict(ids=False) if figure else None}


def investment_targets(db: GraphDB, runtime, demands: list[dict], outside: list[dict]) -> list[dict]:
    """Firms outside the home region ranked by how well their items fit the category's most valuable
    open demand (good fits and better); without demand, those offering in the category."""
    best: dict[str, float] = {}
    if runtime is not None:
        probed = demands[:DEMANDS_PROBED]
        fits = runtime.engine().item_fits_many("supply", probed, Filters(), [d.get("enterprise_id") for d in probed])
        for fit in (fit for item_fits in fits for fit in item_fits):
            if not fit.local and fit.fit >= GOOD_FIT and fit.fit > best.get(fit.enterprise_id, 0.0):
                best[fit.enterprise_id] = fit.fit
    if not best:
        return [{"enterprise": s["enterprise"], "fit": None, "items": s["items"]} for s in outside[:INVESTMENT_TARGETS]]
    ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))[:INVESTMENT_TARGETS]
    firms = match_feed.enterprises(db, [firm_id for firm_id, _ in ranked])
    return [{"enterprise": firms[firm_id], "fit": round(fit, 4), "items": None}
            for firm_id, fit in ranked if firm_id in firms]


def _names(db: GraphDB, ids: set) -> dict[str, dict]:
    return match_feed.enterprises(db, [i for i in ids if i])
