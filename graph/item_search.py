"""Filtered, sorted, paged lists of supply or demand items.

The WHERE clause is assembled from fixed fragments, one per filter that is
present, so every value stays a parameter and the planner sees only the
conditions in use (a `$x IS NULL OR ...` pattern would defeat the indexes).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import LiteralString

from neo4j import ManagedTransaction

from .db import GraphDB
from .items import KINDS, RETURN_ITEM

_FILTERS: dict[str, LiteralString] = {
    "chain_id": "i.chain_id = $chain_id",
    "segment_id": "i.segment_id = $segment_id",
    "category_id": "i.category_id = $category_id",
    "enterprise_id": "i.enterprise_id = $enterprise_id",
    "tier": "i.tier = $tier",
    "local": "i.local = $local",
    "statuses": "i.status IN $statuses",
    # Certifications are 'NAME' or 'NAME@YYYY-MM-DD'; an expired one does not count.
    "certification": ("ANY(c IN coalesce(i.certifications, []) + coalesce(i.enterprise_certifications, []) "
                      "WHERE toUpper(split(c, '@')[0]) = toUpper($certification) "
                      "AND (size(split(c, '@')) = 1 OR split(c, '@')[1] >= $today))"),
    "category_ids": "i.category_id IN $category_ids",
    "chain_ids": "i.chain_id IN $chain_ids",
}
# Each word of a text query (one of its ways of writing) must occur in the item's text (Chinese
# needs no tokenising for a substring test); up to five words.
_TEXT: list[LiteralString] = [f"ANY(w IN $q{n} WHERE i.search CONTAINS w)" for n in range(5)]  # type: ignore[misc]

SORTS: dict[str, LiteralString] = {
    "recent": "i.updated_at DESC, i.id",
    "name": "i.name, i.id",
    "value": "coalesce(i.value, -1) DESC, i.id",
    "capacity": "coalesce(i.capacity, -1) DESC, i.id",
    "deadline": "coalesce(i.deadline, '9999') , i.id",
}


@dataclass
class ItemQuery:
    kind: str
    filters: dict = field(default_factory=dict)   # keys of _FILTERS
    words: list = field(default_factory=list)     # each a word, or a list of its alternatives

    sort: str = "recent"
    skip: int = 0
    limit: int = 20
    today: str = ""


def word_groups(query: ItemQuery) -> list[list[str]]:
    """The query's words (at most five), each as its lower-cased alternatives."""
    return [[w.lower() for w in ([word] if isinstance(word, str) else word)] for word in query.words[:5]]


def search_items(db: GraphDB, query: ItemQuery) -> tuple[list[dict], int]:
    """(items of the page, total matching) in one read transaction."""
    return db.read(_search, query)


def _search(tx: ManagedTransaction, query: ItemQuery) -> tuple[list[dict], int]:
    label = KINDS[query.kind][0]
    conditions = [_FILTERS[name] for name in query.filters if name in _FILTERS]
    conditions += _TEXT[: len(query.words[:5])]
    where = " AND ".join(conditions) or "true"
    params = {**query.filters, "today": query.today,
              **{f"q{n}": group for n, group in enumerate(word_groups(query))}}
    match = f"MATCH (i:{label}) WHERE {where}"
    total = tx.run(f"{match} RETURN count(i) AS n", **params).single()["n"]
    page = tx.run(f"{match} WITH i ORDER BY {SORTS[query.sort]} SKIP $skip LIMIT $limit {RETURN_ITEM}",
                  skip=query.skip, limit=query.limit, **params).data()
    return [r["item"] for r in page], total


def export_items(db: GraphDB, kind: str, filters: dict, batch: int = 5000):
    """Every matching item (for export and editions), in id order, batch by batch."""
    after = ""
    while True:
        chunk = db.read(_export_chunk, kind, filters, after, batch)
        if not chunk:
            return
        yield from chunk
        after = chunk[-1]["id"]


def _export_chunk(tx: ManagedTransaction, kind: str, filters: dict, after: str, batch: int) -> list[dict]:
    label = KINDS[kind][0]
    conditions = ["i.id > $after", *(_FILTERS[name] for name in filters if name in _FILTERS)]
    query = (f"MATCH (i:{label}) WHERE {' AND '.join(conditions)} "
             f"WITH i ORDER BY i.id LIMIT $batch {RETURN_ITEM}")
    return [r["item"] for r in tx.run(query, after=after, batch=batch, **filters).data()]
