"""What the list index reads: every item's list fields in change-number order, the catalog
generation, and whole items by id for a page.

The list index (matchmaker.lists) filters and sorts over memory-mapped columns; the
graph stays the one place items are stored. One write transaction stamps all the
items it touches with one change number (graph.changes), so a page of changes never
ends inside a number (as graph.match_feed pages).
"""
from __future__ import annotations

from typing import Callable, Iterator, LiteralString

from neo4j import ManagedTransaction

from .changes import feed_page, feed_queries, last_seq
from .db import GraphDB
from .items import KINDS, RETURN_ITEM

# The fields list filters and sorts use (see graph.item_search for their meaning).
LIST_FIELDS = ("id", "seq", "status", "chain_id", "segment_id", "category_id", "enterprise_id", "tier",
               "local", "certifications", "enterprise_certifications", "updated_at", "name",
               "value", "capacity", "deadline", "search", "current_supplier_local")
_PROJECTION = ", ".join(f"i.{name} AS {name}" for name in LIST_FIELDS)

_QUERIES: dict[str, dict[str, LiteralString]] = {
    kind: {
        "all": f"MATCH (i:{label}) RETURN {_PROJECTION}",
        # Only the rows written after the last change seen (graph.changes.feed_page).
        **feed_queries(label, _PROJECTION),
        "digest": f"MATCH (i:{label}) RETURN i.id AS id, i.seq AS seq",
        "by_ids": f"UNWIND $ids AS id MATCH (i:{label} {{id: id}}) {RETURN_ITEM}",
    } for kind, (label, _) in KINDS.items()}  # type: ignore[misc]
# Counts per value of a coded field (the list index's fallback while it is built).
_COUNTS: dict[str, dict[str, LiteralString]] = {
    kind: {field: f"MATCH (i:{label}) WHERE i.{field} IS NOT NULL RETURN i.{field} AS value, count(*) AS n"
           for field in ("status", "chain_id", "segment_id", "category_id", "enterprise_id", "tier")}
    for kind, (label, _) in KINDS.items()}  # type: ignore[misc]
_GENERATION: LiteralString = ("OPTIONAL MATCH (m:Meta {id: 'catalog'}) "
                              "RETURN coalesce(m.generation, 0) AS generation")


def max_seq(db: GraphDB) -> int:
    return db.read(last_seq)


def generation(db: GraphDB) -> int:
    """Bumped by every delete (graph.maintenance), which leaves no change behind: lists rebuild."""
    return db.read(lambda tx: tx.run(_GENERATION).single()["generation"])


def changes_after(db: GraphDB, kind: str, after: int, limit: int) -> list[dict]:
    """List fields of the items numbered above `after`, oldest first, about `limit` in whole numbers."""
    return db.read(_page, kind, after, limit)


def _page(tx: ManagedTransaction, kind: str, after: int, limit: int) -> list[dict]:
    return feed_page(tx, _QUERIES[kind], after, limit, lambda r: _row(r, kind))


def scan(db: GraphDB, kind: str, consume: Callable[[Iterator[dict]], None]) -> None:
    """Stream every item's list fields into `consume`, inside one read transaction."""
    def work(tx: ManagedTransaction) -> None:
        # A Record is a tuple: zip it with the names (Record.data() costs 4x more).
        consume(_row(dict(zip(LIST_FIELDS, record)), kind) for record in tx.run(_QUERIES[kind]["all"]))
    db.read(work)


def id_seqs(db: GraphDB, kind: str) -> list[tuple[str, int]]:
    """(id, change number) of every item of `kind`: what the index's consistency check compares."""
    rows = db.read(lambda tx: tx.run(_QUERIES[kind]["digest"]).values())
    return [(item_id, int(seq or 0)) for item_id, seq in rows]


def count_by(db: GraphDB, kind: str, field: str) -> dict[str, int]:
    """{value of a coded list field: number of items of `kind` with it}."""
    rows = db.read(lambda tx: tx.run(_COUNTS[kind][field]).values())
    return {str(value): int(n) for value, n in rows}


def items_by_ids(db: GraphDB, kind: str, ids: list[str]) -> list[dict]:
    """Whole items (with enterprise and category names) in the order of `ids`."""
    found = {r["item"]["id"]: r["item"]
             for r in db.read(lambda tx: tx.run(_QUERIES[kind]["by_ids"], ids=ids).data())}
    return [found[i] for i in ids if i in found]


def _row(record: dict, kind: str) -> dict:
    return {**record, "kind": kind, "seq": int(record.get("seq") or 0)}
