"""Whole-database chores: clearing the data users made (tests, demo resets)."""
from __future__ import annotations

from neo4j import ManagedTransaction

from .db import GraphDB

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


def clear_user_data(db: GraphDB) -> None:
    """Delete every node that is not reference data, in chunks.

    Deletions leave no updated_at behind, so the catalog generation is bumped:
    item catalogs (matchmaker.services.catalog) then rebuild from scratch.
    """
    while db.write(_clear_chunk):
        pass
    db.write(lambda tx: tx.run(_NEXT_GENERATION).consume())


def _clear_chunk(tx: ManagedTransaction) -> int:
    return tx.run(_CLEAR).single()["n"]
