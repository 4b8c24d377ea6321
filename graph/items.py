"""Supply items (OFFERS) and demand items (NEEDS): one module, two whitelisted kinds.

Labels and relationship types cannot be query parameters, so each kind's
queries are built once, at import, from this fixed table.
"""
from __future__ import annotations

from typing import LiteralString

from neo4j import ManagedTransaction

from .db import GraphDB, one

KINDS: dict[str, tuple[LiteralString, LiteralString]] = {
    "supply": ("SupplyItem", "OFFERS"),
    "demand": ("DemandItem", "NEEDS"),
}

_UPSERT = """
UNWIND $rows AS r
MATCH (e:Enterprise {id: r.enterprise_id})
MERGE (i:%(label)s {id: r.id})
ON CREATE SET i.created_at = $now, i.version = 0
SET i += r.props, i.enterprise_id = e.id, i.local = e.local, i.tier = e.tier,
    i.updated_at = $now, i.version = i.version + 1
WITH i, e, r
OPTIONAL MATCH (i)-[old:IN_CATEGORY]->()
DELETE old
WITH i, e, r
OPTIONAL MATCH (prev)-[owner:%(rel)s]->(i) WHERE prev <> e
DELETE owner
MERGE (e)-[:%(rel)s]->(i)
WITH i, r WHERE r.props.category_id IS NOT NULL
MATCH (k:Category {id: r.props.category_id})
MERGE (i)-[:IN_CATEGORY]->(k)
"""


def _query(template: str, kind: str) -> LiteralString:
    label, rel = KINDS[kind]
    return template % {"label": label, "rel": rel}  # type: ignore[return-value]


_QUERIES = {kind: {"upsert": _query(_UPSERT, kind),
                   "count": _query("MATCH (i:%(label)s) RETURN count(i) AS n", kind),
                   "get": _query("MATCH (i:%(label)s {id: $id}) RETURN i {.*} AS item", kind)}
            for kind in KINDS}


def upsert_many(db: GraphDB, kind: str, records: list[dict], now: str) -> int:
    """Create or update items by id; each record is {id, enterprise_id, props}."""
    db.write(_run, _QUERIES[kind]["upsert"], rows=records, now=now)
    return len(records)


def _run(tx: ManagedTransaction, query: LiteralString, **params) -> None:
    tx.run(query, **params).consume()


def get(db: GraphDB, kind: str, item_id: str) -> dict | None:
    record = db.read(one, _QUERIES[kind]["get"], id=item_id)
    return record["item"] if record else None


def count(db: GraphDB, kind: str) -> int:
    return db.read(one, _QUERIES[kind]["count"])["n"]
