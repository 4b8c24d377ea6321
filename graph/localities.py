"""Re-deriving the `local` flags from the region tree, batch by batch.

Each batch is one write transaction with its own change number (graph.changes):
enterprises whose flag changes, their items' copies (graph.derived), and demand
items' `current_supplier_local`. Only what changes is written.
"""
from __future__ import annotations

from typing import LiteralString

from neo4j import ManagedTransaction

from .changes import next_seq
from .db import GraphDB
from .derived import set_copies

_FIRMS_PAGE: LiteralString = "MATCH (e:Enterprise) WHERE e.id > $after RETURN e.id AS id ORDER BY id LIMIT $limit"
_FIRMS: LiteralString = """
UNWIND $ids AS id
MATCH (e:Enterprise {id: id})
WITH e, coalesce(e.region_code IN $local_codes, false) AS local
WHERE e.local IS NULL OR e.local <> local
SET e.local = local
RETURN count(e) AS n
"""
_FIRMS_ITEMS = """
UNWIND $ids AS id
MATCH (e:Enterprise {id: id})-[:OFFERS|NEEDS]->(i)
WHERE i.local IS NULL OR i.local <> e.local
SET """ + set_copies("i") + """, i.seq = $seq
RETURN count(i) AS n
"""
_DEMAND_PAGE: LiteralString = "MATCH (i:DemandItem) WHERE i.id > $after RETURN i.id AS id ORDER BY id LIMIT $limit"
_DEMAND: LiteralString = """
UNWIND $ids AS id
MATCH (i:DemandItem {id: id}) WHERE i.current_supplier_region IS NOT NULL
WITH i, i.current_supplier_region IN $local_codes AS local
WHERE i.current_supplier_local IS NULL OR i.current_supplier_local <> local
SET i.current_supplier_local = local, i.seq = $seq
RETURN count(i) AS n
"""


def enterprises_batch(db: GraphDB, after: str, limit: int, local_codes: list[str]) -> tuple[list[str], int, int]:
    """Re-derive the next `limit` enterprises by id after `after` and their items' copies.

    Returns (the ids looked at, enterprises changed, items changed); no ids means done.
    """
    def work(tx: ManagedTransaction) -> tuple[list[str], int, int]:
        seq = next_seq(tx)
        ids = [r["id"] for r in tx.run(_FIRMS_PAGE, after=after, limit=limit)]
        firms = tx.run(_FIRMS, ids=ids, local_codes=local_codes).single()["n"] if ids else 0
        items = tx.run(_FIRMS_ITEMS, ids=ids, seq=seq).single()["n"] if ids else 0
        return ids, firms, items
    return db.write(work)


def demand_batch(db: GraphDB, after: str, limit: int, local_codes: list[str]) -> tuple[list[str], int]:
    """Re-derive `current_supplier_local` of the next `limit` demand items: (ids looked at, changed)."""
    def work(tx: ManagedTransaction) -> tuple[list[str], int]:
        seq = next_seq(tx)
        ids = [r["id"] for r in tx.run(_DEMAND_PAGE, after=after, limit=limit)]
        changed = tx.run(_DEMAND, ids=ids, local_codes=local_codes, seq=seq).single()["n"] if ids else 0
        return ids, changed
    return db.write(work)
