"""Whole-database chores: clearing the data users made (tests, demo resets), deleting items.

A deleted item leaves no change number behind, so each deleting transaction also bumps
the catalog generation (and takes a change number, graph.changes, like every write the
lists read): the list and match indexes (matchmaker.lists, matchmaker.matching) then rebuild.
"""
from __future__ import annotations

from neo4j import ManagedTransaction

from .changes import next_seq
from .db import GraphDB
from .items import KINDS

REFERENCE_LABELS = ("Chain", "Segment", "Category", "Region", "Meta")

_CLEAR = """
MATCH (n) WHERE NOT (n:Chain OR n:Segment OR n:Category OR n:Region OR n:Meta)
WITH n LIMIT 10000
DETACH DELETE n
RETURN count(*) AS n
"""


_NEXT_GENERATION = """
MERGE (m:Meta {id: 'catalog'})
SET m.generation = coalesce(m.generation, 0) + 1
"""


_DELETE_ITEMS = {kind: f"UNWIND $ids AS id MATCH (i:{label} {{id: id}}) DETACH DELETE i"
                 for kind, (label, _) in KINDS.items()}


def clear_user_data(db: GraphDB) -> None:
    """Delete every node that is not reference data, in chunks."""
    while db.write(_clear_chunk):
        pass


def delete_items(db: GraphDB, kind: str, ids: list[str], batch: int = 5000) -> None:
    """Delete these items (and their edges and revisions' links), batch by batch."""
    for start in range(0, len(ids), batch):
        db.write(_delete_chunk, kind, ids[start:start + batch])


def new_generation(db: GraphDB) -> None:
    """Make every item catalog and match index rebuild from scratch (after a restore, say)."""
    db.write(_next_generation)


def _next_generation(tx: ManagedTransaction) -> None:
    next_seq(tx)
    tx.run(_NEXT_GENERATION).consume()


def _delete_chunk(tx: ManagedTransaction, kind: str, ids: list[str]) -> None:
    _next_generation(tx)
    tx.run(_DELETE_ITEMS[kind], ids=ids).consume()


def _clear_chunk(tx: ManagedTransaction) -> int:
    _next_generation(tx)
    return tx.run(_CLEAR).single()["n"]
