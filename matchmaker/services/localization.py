"""Localization rates as the API serves them: reads the projection (services/rate_inputs.py: the list
index's demand columns and the graph, or the graph alone) and the potential's stored verdicts
(services/potential.py: which open items have a local, fully qualified best suggestion), and computes
every figure with the pure module matchmaker.analytics.localization.

Who sees what (permissions.may_see_rates): chain, segment and category figures officials and admins;
a leader's own figures the leader's accounts too.
"""
from __future__ import annotations

from graph import chains as chain_repo
from graph.db import GraphDB

from ..analytics.localization import Figure, breakdown
from ..errors import NotFound
from . import potential, rate_inputs
from .permissions import Principal, may_see_rates, require_rates


def all_chains(db: GraphDB, runtime, principal: Principal, lists=None) -> list[dict]:
    """Every chain's rate, potential, target and parts (officials and admins)."""
    require_rates(principal, None)
    names = {c["id"]: c for c in chain_repo.chain_names(db)}
    out = rate_inputs.every_chain(db, lists, potential=runtime is not None)
    if out is None:
        inputs = rate_inputs.projection(db, None, lists)
        out = breakdown(inputs.projection, None, potential.ids_from_projection(db, runtime, inputs.potential_rows))
    return [{**_named(out["chains"][c].as_dict(ids=False), names.get(c, {}))} for c in out["chains"]]


def one_chain(db: GraphDB, runtime, principal: Principal, chain_id: str, lists=None) -> dict:
    """A chain broken down by leader, segment and category; a leader's account gets its own figures only."""
    require_rates(principal, chain_id)
    chain = chain_repo.get_chain(db, chain_id)
    if chain is None:
        raise NotFound(f"no chain with id '{chain_id}'")
    inputs = rate_inputs.projection(db, chain_id, lists)
    projection = inputs.projection
    everything = may_see_rates(principal, None)
    potential_ids = potential.ids_from_projection(db, runtime, inputs.potential_rows) if everything else ()
    out = breakdown(projection, chain_id, potential_ids)
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
