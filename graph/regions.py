"""The GB/T 2260 region tree (reference data)."""
from __future__ import annotations

from neo4j import ManagedTransaction

from .db import GraphDB, one

_MERGE = """
UNWIND $regions AS r
MERGE (g:Region {code: r.code})
SET g.name = r.name, g.name_en = r.name_en, g.level = r.level, g.parent = r.parent
"""
_LINK = """
UNWIND $regions AS r
WITH r WHERE r.parent IS NOT NULL
MATCH (g:Region {code: r.code}), (p:Region {code: r.parent})
MERGE (g)-[:WITHIN]->(p)
"""


def load_regions(db: GraphDB, regions: list[dict], batch: int = 2000) -> int:
    """Upsert regions and their WITHIN edges in batches; returns the count."""
    for start in range(0, len(regions), batch):
        db.write(_merge, regions[start:start + batch])
    for start in range(0, len(regions), batch):
        db.write(_link, regions[start:start + batch])
    return len(regions)


def _merge(tx: ManagedTransaction, regions: list[dict]) -> None:
    tx.run(_MERGE, regions=regions).consume()


def _link(tx: ManagedTransaction, regions: list[dict]) -> None:
    tx.run(_LINK, regions=regions).consume()


def count_regions(db: GraphDB) -> int:
    return db.read(one, "MATCH (g:Region) RETURN count(g) AS n")["n"]
