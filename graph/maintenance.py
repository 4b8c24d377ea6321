"""Whole-database chores: clearing the data users made (tests, demo resets), deleting items.

Deletions leave no updated_at behind, so each one bumps the catalog generation:
item catalogs (matchmaker.services.catalog) then rebuild from scratch.
"""
from __future__ import annotations

from neo4j import ManagedTransaction

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
    _next_generation(db)


def delete_items(db: GraphDB, kind: str, ids: list[str], batch: int = 5000) -> None:
    """Delete these items (and their edges and revisions' links), batch by batch."""
    for start in range(0, len(ids), batch):
        db.write(lambda tx, chunk: tx.run(_DELETE_ITEMS[kind], ids=chunk).consume(), ids[start:start + batch])
    if ids:
        _next_generation(db)


def _next_generation(db: GraphDB) -> None:
    db.write(lambda tx: tx.run(_NEXT_GENERATION).consume())


def _clear_chunk(tx: ManagedTransaction) -> int:
    return tx.run(_CLEAR).single()["n"]
