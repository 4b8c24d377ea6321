"""What the app's item catalog reads: every item's list fields, the changes after a
change number (graph.changes), the catalog generation, and whole items by id for a page.

The catalog (matchmaker.services.catalog) filters and sorts in memory; the graph
stays the one place items are stored.
"""
from __future__ import annotations

from typing import Callable, Iterator

from neo4j import ManagedTransaction

from .changes import last_seq
from .db import GraphDB
from .items import KINDS, RETURN_ITEM

# The fields list filters and sorts use (see graph.item_search for their meaning).
LIST_FIELDS = ("id", "status", "chain_id", "segment_id", "category_id", "enterprise_id", "tier",
               "local", "certifications", "enterprise_certifications", "updated_at", "name",
               "value", "capacity", "deadline", "search")
_PROJECTION = ", ".join(f"i.{name} AS {name}" for name in LIST_FIELDS)

_ALL = {kind: f"MATCH (i:{label}) RETURN {_PROJECTION}" for kind, (label, _) in KINDS.items()}
# A range on the indexed seq: only the rows written after the last change seen.
_AFTER = {kind: f"MATCH (i:{label}) WHERE i.seq > $after RETURN {_PROJECTION}"
          for kind, (label, _) in KINDS.items()}
_GENERATION = "OPTIONAL MATCH (m:Meta {id: 'catalog'}) RETURN coalesce(m.generation, 0) AS generation"
_BY_IDS = {kind: f"UNWIND $ids AS id MATCH (i:{label} {{id: id}}) {RETURN_ITEM}"
           for kind, (label, _) in KINDS.items()}


def changes(db: GraphDB, kind: str, after: int | None) -> tuple[int, int, list[dict]]:
    """(catalog generation, newest change number, list fields of the items with seq > after).

    Change numbers are handed out in commit order, so every item stamped up to the
    newest number read here is visible to the item query that follows. The generation
    is bumped whenever items are deleted in bulk (graph.maintenance); with `after`
    None only the two numbers are read.
    """
    def work(tx: ManagedTransaction) -> tuple[int, int, list[dict]]:
        current = tx.run(_GENERATION).single()["generation"]
        seq = last_seq(tx)
        return current, seq, (tx.run(_AFTER[kind], after=after).data() if after is not None else [])
    return db.read(work)


def scan(db: GraphDB, kind: str, consume: Callable[[Iterator[dict]], None]) -> tuple[int, int]:
    """Stream every item's list fields into `consume`, inside one read transaction.

    Returns (catalog generation, newest change number) as read before the scan.
    """
    def work(tx: ManagedTransaction) -> tuple[int, int]:
        numbers = tx.run(_GENERATION).single()["generation"], last_seq(tx)
        # A Record is a tuple: zip it with the names (Record.data() costs 4x more).
        consume(dict(zip(LIST_FIELDS, record)) for record in tx.run(_ALL[kind]))
        return numbers
    return db.read(work)


def items_by_ids(db: GraphDB, kind: str, ids: list[str]) -> list[dict]:
    """Whole items (with enterprise and category names) in the order of `ids`."""
    found = {r["item"]["id"]: r["item"] for r in db.read(lambda tx: tx.run(_BY_IDS[kind], ids=ids).data())}
    return [found[i] for i in ids if i in found]
