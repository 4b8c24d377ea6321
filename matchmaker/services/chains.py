"""Reading the chains' taxonomy."""
from __future__ import annotations

import time
import weakref

from graph import chains as chain_repo
from graph.db import GraphDB

from ..errors import N_, NotFound
from ..lists import ListIndexes


# Counting enterprises per chain walks every membership edge (about a second at
# 100,000 firms), so each process keeps the graph's answer this long; a bulk delete
# (a new catalog generation) drops it at once.
TTL_SECONDS = 30.0
_cache: "weakref.WeakKeyDictionary[GraphDB, tuple[float, int | None, list[dict]]]" = weakref.WeakKeyDictionary()


def list_chains(db: GraphDB, lists: ListIndexes) -> list[dict]:
    """The chains with segment, category, enterprise and item counts (items by kind, from the list index)."""
    counts = {kind: lists.catalog(kind).count_by("chain_id") for kind in ("supply", "demand")}
    chains = _chains_with_firm_counts(db, lists.catalog("supply").generation)
    return [{**c, "supply_items": counts["supply"].get(c["id"], 0),
             "demand_items": counts["demand"].get(c["id"], 0)} for c in chains]


def _chains_with_firm_counts(db: GraphDB, generation: int | None) -> list[dict]:
    now = time.monotonic()
    cached = _cache.get(db)
    if cached and cached[1] == generation and now - cached[0] < TTL_SECONDS:
        return cached[2]
    chains = chain_repo.list_chains(db)
    _cache[db] = (now, generation, chains)
    return chains


def get_chain(db: GraphDB, chain_id: str) -> dict:
    chain = chain_repo.get_chain(db, chain_id)
    if chain is None:
        raise NotFound(N_("no chain with id '%(id)s'") % {"id": chain_id})
    return chain
