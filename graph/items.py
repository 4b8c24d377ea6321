"""Supply items (OFFERS) and demand items (NEEDS): one module, two whitelisted kinds.

Labels and relationship types cannot be query parameters, so each kind's
queries are built once, at import, from this fixed table.
"""
from __future__ import annotations

from typing import LiteralString

from neo4j import ManagedTransaction

from .changes import next_seq
from .db import GraphDB, one, rows
from .derived import COPIED_FIELDS, copies_map, set_copies
from .errors import DuplicateKey
from .upsert import split_new as _split

KINDS: dict[str, tuple[LiteralString, LiteralString]] = {
    "supply": ("SupplyItem", "OFFERS"),
    "demand": ("DemandItem", "NEEDS"),
}
# The properties a record's `props` may carry, per kind (DATA-FORMAT fields plus
# what the platform derives); the CREATE path names each one. The copies of the
# enterprise's fields (graph.derived) are set here, never taken from a record.
_COMMON_FIELDS = ("name", "description", "unit", "status", "category_id", "category_proposed",
                  "chain_id", "segment_id")
FIELDS: dict[str, tuple[str, ...]] = {
    "supply": (*_COMMON_FIELDS, "capacity", "certifications"),
    "demand": (*_COMMON_FIELDS, "quantity", "unit_price", "value", "required_certifications",
               "prefer_local", "deadline", "current_supplier_region", "current_supplier_local"),
}

# What the update paths set: the row, the copies of the enterprise's fields that list
# filters use (so a list query needs no join), the time, and the change number.
_PROPS = "i += r.props, " + set_copies("r.props") + ", i.updated_at = $now, i.seq = $seq"

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
# An edit: written only if the item still has the version the editor read (compare-and-set).
_UPDATE = """
UNWIND $rows AS r
MATCH (e:Enterprise {id: r.enterprise_id})
MATCH (i:%(label)s {id: r.id}) WHERE i.version = $expected
SET %(props)s, i.version = i.version + 1
WITH i, e, r
OPTIONAL MATCH (prev)-[owner:%(rel)s]->(i) WHERE prev <> e
DELETE owner
MERGE (e)-[:%(rel)s]->(i)
RETURN DISTINCT i.version AS version
"""
_VERSION = "MATCH (i:%(label)s {id: $id}) RETURN i.version AS version, i.enterprise_id AS owner"


# New ids (most rows of a first load) take a plain CREATE with every property in
# the pattern: one record write, where CREATE then SET would write it twice and
# re-check each index.
_CREATE = """
UNWIND $rows AS r
MATCH (e:Enterprise {id: r.enterprise_id})
CREATE (e)-[:%(rel)s]->(i:%(label)s {id: r.id, %(fields)s, %(copies)s,
    updated_at: $now, created_at: $now, version: 1, seq: $seq})
"""
_EXISTING = "UNWIND $ids AS id MATCH (i:%(label)s {id: id}) RETURN i.id AS id"


def _query(template: str, kind: str) -> LiteralString:
    label, rel = KINDS[kind]
    fields = ", ".join(f"{name}: r.props.{name}" for name in FIELDS[kind])
    return template % {"label": label, "rel": rel, "props": _PROPS, "fields": fields,  # type: ignore[return-value]
                       "copies": copies_map("r.props")}


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
                   "update": _query(_UPDATE, kind), "version": _query(_VERSION, kind),
                   "create": _query(_CREATE, kind), "existing": _query(_EXISTING, kind),
                   "get": _query(_GET, kind), "history": _query(_HISTORY, kind),
                   "count": _query("MATCH (i:%(label)s) RETURN count(i) AS n", kind)}
            for kind in KINDS}


def upsert_many(db: GraphDB, kind: str, records: list[dict], now: str,
                actor: str | None = None, action: str = "import") -> int:
    """Create or update items by id; each record is {id, enterprise_id, props[, changes]}.

    The imports' contract: an existing id is updated whoever wrote it. With an actor,
    each item also gets a Revision, in the same transaction.
    """
    records = [_own_fields(kind, r) for r in records]
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
    seq = next_seq(tx)
    existing = {r["id"] for r in tx.run(queries["existing"], ids=[r["id"] for r in records]).data()}
    fresh, rest = _split(records, existing)
    if fresh:
        tx.run(queries["create"], rows=fresh, now=now, seq=seq).consume()
    if rest:
        tx.run(queries["upsert"], rows=rest, now=now, seq=seq).consume()
    _revise(tx, kind, records, now, actor, action)


def create_one(db: GraphDB, kind: str, record: dict, now: str, actor: str) -> str | None:
    """Create one item unless its id exists; returns None, or the existing item's owner id."""
    record = _own_fields(kind, record)
    try:
        return db.write(_create_one, kind, record, now, actor)
    except DuplicateKey:  # created by a concurrent writer after our check
        return db.read(_current, kind, record["id"])[1] or ""


def _create_one(tx: ManagedTransaction, kind: str, record: dict, now: str, actor: str) -> str | None:
    seq = next_seq(tx)
    found, owner = _current(tx, kind, record["id"])
    if found is not None:
        return owner or ""
    tx.run(_QUERIES[kind]["create"], rows=[record], now=now, seq=seq).consume()
    _revise(tx, kind, [record], now, actor, "create")
    return None


def update_one(db: GraphDB, kind: str, record: dict, expected_version: int, now: str,
               actor: str, action: str = "update") -> tuple[bool, int | None]:
    """Write one item only if its stored version is still `expected_version`.

    Returns (written, the version now stored; None when there is no such item). The
    compare and the write happen in one transaction, after the change counter is taken,
    so of two edits of the same version exactly one is written.
    """
    return db.write(_update_one, kind, _own_fields(kind, record), expected_version, now, actor, action)


def _update_one(tx: ManagedTransaction, kind: str, record: dict, expected: int, now: str,
                actor: str, action: str) -> tuple[bool, int | None]:
    seq = next_seq(tx)
    written = tx.run(_QUERIES[kind]["update"], rows=[record], expected=expected, now=now, seq=seq).data()
    if not written:
        return False, _current(tx, kind, record["id"])[0]
    _revise(tx, kind, [record], now, actor, action)
    return True, written[0]["version"]


def _current(tx: ManagedTransaction, kind: str, item_id: str) -> tuple[int | None, str | None]:
    """(stored version, owner id) of an item, (None, None) when absent."""
    record = tx.run(_QUERIES[kind]["version"], id=item_id).single()
    return (record["version"], record["owner"]) if record else (None, None)


def _revise(tx: ManagedTransaction, kind: str, records: list[dict], now: str, actor: str | None,
            action: str) -> None:
    if actor:
        revisions = [{"id": r["id"], "changes": r.get("changes") or ""} for r in records]
        tx.run(_QUERIES[kind]["revise"], rows=revisions, now=now, actor=actor, action=action).consume()


def _own_fields(kind: str, record: dict) -> dict:
    """The record without the copied fields (derived here), after refusing unknown ones."""
    _check_fields(kind, [record])
    props = {k: v for k, v in record["props"].items() if k not in COPIED_FIELDS}
    return {**record, "props": props}


def _check_fields(kind: str, records: list[dict]) -> None:
    allowed = {*FIELDS[kind], "search"}  # a record's own search text is accepted and rebuilt here
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
