"""Supply items (OFFERS) and demand items (NEEDS): one module, two whitelisted kinds.

Labels and relationship types cannot be query parameters, so each kind's
queries are built once, at import, from this fixed table.
"""
from __future__ import annotations

from typing import LiteralString

from neo4j import ManagedTransaction

from .db import GraphDB, one, rows
from .errors import DuplicateKey
from .upsert import split_new as _split

KINDS: dict[str, tuple[LiteralString, LiteralString]] = {
    "supply": ("SupplyItem", "OFFERS"),
    "demand": ("DemandItem", "NEEDS"),
}
# The properties a record's `props` may carry, per kind (DATA-FORMAT fields plus
# what the platform derives); the CREATE path names each one.
_COMMON_FIELDS = ("name", "description", "unit", "status", "category_id", "category_proposed",
                  "chain_id", "segment_id", "search")
FIELDS: dict[str, tuple[str, ...]] = {
    "supply": (*_COMMON_FIELDS, "capacity", "certifications"),
    "demand": (*_COMMON_FIELDS, "quantity", "unit_price", "value", "required_certifications",
               "prefer_local", "deadline", "current_supplier_region", "current_supplier_local"),
}

# What both write paths set: the row, plus copies of the enterprise's fields that
# list filters use, so a list query needs no join.
_PROPS = """i += r.props, i.enterprise_id = e.id, i.local = e.local, i.tier = e.tier,
    i.enterprise_certifications = e.certifications,
    i.search = r.props.search + ' ' + toLower(e.name + ' ' + coalesce(e.name_en, '')),
    i.updated_at = $now"""

_UPSERT = """
UNWIND $rows AS r
MATCH (e:Enterprise {id: r.enterprise_id})
MERGE (i:%(label)s {id: r.id})
ON CREATE SET i.created_at = $now, i.version = 0
SET %(props)s, i.version = i.version + 1
WITH i, e, r
OPTIONAL MATCH (prev)-[owner:%(rel)s]->(i) WHERE prev <> e
DELETE owner
MERGE (e)-[:%(rel)s]->(i)
"""


# New ids (most rows of a first load) take a plain CREATE with every property in
# the pattern: one record write, where CREATE then SET would write it twice and
# re-check each index.
_CREATE = """
UNWIND $rows AS r
MATCH (e:Enterprise {id: r.enterprise_id})
CREATE (e)-[:%(rel)s]->(i:%(label)s {id: r.id, %(fields)s, enterprise_id: e.id, local: e.local,
    tier: e.tier, enterprise_certifications: e.certifications,
    search: r.props.search + ' ' + toLower(e.name + ' ' + coalesce(e.name_en, '')),
    updated_at: $now, created_at: $now, version: 1})
"""
_EXISTING = "UNWIND $ids AS id MATCH (i:%(label)s {id: id}) RETURN i.id AS id"


def _query(template: str, kind: str) -> LiteralString:
    label, rel = KINDS[kind]
    fields = ", ".join(f"{name}: r.props.{name}" for name in FIELDS[kind])
    return template % {"label": label, "rel": rel, "props": _PROPS, "fields": fields}  # type: ignore[return-value]


# History: every change through the app leaves a Revision with who, when and what.
_REVISE = """
UNWIND $rows AS r
MATCH (i:%(label)s {id: r.id})
CREATE (:Revision {at: $now, actor: $actor, action: $action, item_id: r.id,
                   changes: r.changes})-[:OF]->(i)
"""
# An item as pages and the API show it: with its firm's and category's names.
RETURN_ITEM: LiteralString = """
OPTIONAL MATCH (e:Enterprise {id: i.enterprise_id})
OPTIONAL MATCH (k:Category {id: i.category_id})
RETURN i {.*, enterprise_name: e.name, enterprise_name_en: e.name_en, region_code: e.region_code,
          category_name_zh: k.name_zh, category_name_en: k.name_en} AS item
"""
_GET = "MATCH (i:%(label)s {id: $id})" + RETURN_ITEM
_HISTORY = """
MATCH (r:Revision {item_id: $id})-[:OF]->(:%(label)s {id: $id})
RETURN r.at AS at, r.actor AS actor, r.action AS action, r.changes AS changes
ORDER BY r.at DESC LIMIT 100
"""

_QUERIES = {kind: {"upsert": _query(_UPSERT, kind), "revise": _query(_REVISE, kind),
                   "create": _query(_CREATE, kind), "existing": _query(_EXISTING, kind),
                   "get": _query(_GET, kind), "history": _query(_HISTORY, kind),
                   "count": _query("MATCH (i:%(label)s) RETURN count(i) AS n", kind)}
            for kind in KINDS}


def upsert_many(db: GraphDB, kind: str, records: list[dict], now: str,
                actor: str | None = None, action: str = "import") -> int:
    """Create or update items by id; each record is {id, enterprise_id, props[, changes]}.

    With an actor, each item also gets a Revision, in the same transaction.
    """
    try:
        db.write(_upsert, kind, records, now, actor, action)
    except DuplicateKey:
        # Another writer created one of these ids between our check and our CREATE:
        # the next attempt sees it as existing and updates it.
        db.write(_upsert, kind, records, now, actor, action)
    return len(records)


def _upsert(tx: ManagedTransaction, kind: str, records: list[dict], now: str,
            actor: str | None, action: str) -> None:
    queries = _QUERIES[kind]
    _check_fields(kind, records)
    existing = {r["id"] for r in tx.run(queries["existing"], ids=[r["id"] for r in records]).data()}
    fresh, rest = _split(records, existing)
    if fresh:
        tx.run(queries["create"], rows=fresh, now=now).consume()
    if rest:
        tx.run(queries["upsert"], rows=rest, now=now).consume()
    if actor:
        revisions = [{"id": r["id"], "changes": r.get("changes") or ""} for r in records]
        tx.run(_QUERIES[kind]["revise"], rows=revisions, now=now, actor=actor, action=action).consume()


def _check_fields(kind: str, records: list[dict]) -> None:
    allowed = set(FIELDS[kind])
    for record in records:
        unknown = record["props"].keys() - allowed
        if unknown:
            raise ValueError(f"{kind} item {record['id']}: unknown properties {sorted(unknown)}")


def get(db: GraphDB, kind: str, item_id: str) -> dict | None:
    """One item with its enterprise's and category's names."""
    record = db.read(one, _QUERIES[kind]["get"], id=item_id)
    return record["item"] if record else None


def history(db: GraphDB, kind: str, item_id: str) -> list[dict]:
    return db.read(rows, _QUERIES[kind]["history"], id=item_id)


def count(db: GraphDB, kind: str) -> int:
    return db.read(one, _QUERIES[kind]["count"])["n"]


_CATEGORIES_OF = {kind: _query("""
MATCH (i:%(label)s {enterprise_id: $enterprise_id})
WHERE i.category_id IS NOT NULL AND i.status = 'published'
RETURN DISTINCT i.category_id AS category_id
""", kind) for kind in KINDS}


def categories_of(db: GraphDB, kind: str, enterprise_id: str) -> list[str]:
    """The categories of an enterprise's published items."""
    return sorted(r["category_id"] for r in db.read(rows, _CATEGORIES_OF[kind], enterprise_id=enterprise_id))


_OWNERS = {kind: _query("UNWIND $ids AS id MATCH (i:%(label)s {id: id}) RETURN i.id AS id, i.enterprise_id AS owner",
                        kind) for kind in KINDS}


def owners_of(db: GraphDB, kind: str, ids: list[str]) -> dict[str, str]:
    """{item id: owning enterprise id} for those ids that exist."""
    return {r["id"]: r["owner"] for r in db.read(rows, _OWNERS[kind], ids=list(ids))}
