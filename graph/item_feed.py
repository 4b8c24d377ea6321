"""What the app's item catalog reads: every item's list fields, the changes since a
time, the catalog generation, and whole items by id for a page.

The catalog (matchmaker.services.catalog) filters and sorts in memory; the graph
stays the one place items are stored.
"""
from __future__ import annotations

from typing import Callable, Iterator

from neo4j import ManagedTransaction

from .db import GraphDB
from .items import KINDS, RETURN_ITEM

# The fields list filters and sorts use (see graph.item_search for their meaning).
LIST_FIELDS = ("id", "status", "chain_id", "segment_id", "category_id", "enterprise_id", "tier",
               "local", "certifications", "enterprise_certifications", "updated_at", "name",
               "value", "capacity", "deadline", "search")
_PROJECTION = ", ".join(f"i.{name} AS {name}" for name in LIST_FIELDS)

_ALL = {kind: f"MATCH (i:{label}) RETURN {_PROJECTION}" for kind, (label, _) in KINDS.items()}
# A range on the indexed updated_at: only the rows written since.
_SINCE = {kind: f"MATCH (i:{label}) WHERE i.updated_at >= $since RETURN {_PROJECTION}"
          for kind, (label, _) in KINDS.items()}
_GENERATION = "OPTIONAL MATCH (m:Meta {id: 'catalog'}) RETURN coalesce(m.generation, 0) AS generation"
_BY_IDS = {kind: f"UNWIND $ids AS id MATCH (i:{label} {{id: id}}) {RETURN_ITEM}"
           for kind, (label, _) in KINDS.items()}


def changes(db: GraphDB, kind: str, since: str) -> tuple[int, list[dict]]:
    """(catalog generation, list fields of the items with updated_at >= since).

    The generation is bumped whenever items are deleted in bulk (graph.maintenance);
    with `since` empty only the generation is read.
    """
    def work(tx: ManagedTransaction) -> tuple[int, list[dict]]:
        current = tx.run(_GENERATION).single()["generation"]
        return current, (tx.run(_SINCE[kind], since=since).data() if since else [])
    return db.read(work)


def scan(db: GraphDB, kind: str, consume: Callable[[Iterator[dict]], None]) -> None:
    """Stream every item's list fields into `consume`, inside one read transaction."""
    def work(tx: ManagedTransaction) -> None:
        # A Record is a tuple: zip it with the names (Record.data() costs 4x more).
        consume(dict(zip(LIST_FIELDS, record)) for record in tx.run(_ALL[kind]))
    db.read(work)


def items_by_ids(db: GraphDB, kind: str, ids: list[str]) -> list[dict]:
    """Whole items (with enterprise and category names) in the order of `ids`."""
    found = {r["item"]["id"]: r["item"] for r in db.read(lambda tx: tx.run(_BY_IDS[kind], ids=ids).data())}
    return [found[i] for i in ids if i in found]
