"""Proposed categories of items and the officials' reviews of them:
(:CategorySuggestion {item_id, kind, category_id, confidence, rank, created_at,
                      status: proposed|confirmed|corrected, reviewed_by, reviewed_at}).

An item's open proposals are replaced whenever it is saved without a category; a review
keeps the chosen category's record (confirmed or corrected) for good and drops the rest.
"""
from __future__ import annotations

from typing import LiteralString

from neo4j import ManagedTransaction

from .db import GraphDB, rows
from .items import KINDS

STATUSES = ("proposed", "confirmed", "corrected")
REVIEWED = ("confirmed", "corrected")
QUEUE_LIMIT = 200

_DROP_OPEN: LiteralString = """
UNWIND $item_ids AS item_id
MATCH (s:CategorySuggestion {item_id: item_id, kind: $kind}) WHERE s.status = 'proposed'
DELETE s
"""
_CREATE: LiteralString = """
UNWIND $rows AS r
CREATE (:CategorySuggestion {item_id: r.item_id, kind: $kind, category_id: r.category_id,
                             confidence: r.confidence, rank: r.rank, created_at: $now, status: 'proposed'})
"""
_OF_ITEM: LiteralString = """
MATCH (s:CategorySuggestion {item_id: $item_id, kind: $kind})
RETURN s {.*} AS suggestion ORDER BY s.rank, s.created_at
"""
_REVIEW: LiteralString = """
MERGE (s:CategorySuggestion {item_id: $item_id, kind: $kind, category_id: $category_id, status: 'proposed'})
ON CREATE SET s.confidence = 0.0, s.rank = 0, s.created_at = $now
SET s.status = $status, s.reviewed_by = $by, s.reviewed_at = $now
RETURN s {.*} AS suggestion
"""
# Per kind (labels cannot be parameters): the review queue and the reviewed texts.
_QUEUE: dict[str, LiteralString] = {kind: """
MATCH (s:CategorySuggestion {kind: '%(kind)s'}) WHERE s.status = $status
MATCH (i:%(label)s {id: s.item_id})
WHERE ($chain IS NULL OR i.chain_id = $chain) AND ($status <> 'proposed' OR i.category_proposed = true OR i.category_id IS NULL)
WITH i, s ORDER BY s.rank
WITH i, collect(s {.category_id, .confidence, .rank, .status, .reviewed_by, .reviewed_at}) AS suggestions
RETURN i.id AS item_id, '%(kind)s' AS kind, i.name AS name, i.description AS description,
       i.category_id AS category_id, i.chain_id AS chain_id, i.enterprise_id AS enterprise_id, suggestions
""" % {"kind": kind, "label": label} for kind, (label, _) in KINDS.items()}  # type: ignore[misc]
_EXAMPLES: dict[str, LiteralString] = {kind: """
MATCH (s:CategorySuggestion {kind: '%(kind)s'}) WHERE s.status IN $reviewed
MATCH (i:%(label)s {id: s.item_id}) WHERE i.category_id = s.category_id
RETURN s.category_id AS category_id, i.name AS name, i.description AS description
ORDER BY s.reviewed_at DESC LIMIT $limit
""" % {"kind": kind, "label": label} for kind, (label, _) in KINDS.items()}  # type: ignore[misc]


def replace_proposals(db: GraphDB, kind: str, proposals: dict[str, list[dict]], now: str) -> None:
    """Each item's open proposals become `proposals[item_id]` ([{category_id, confidence, rank}])."""
    _check_kind(kind)
    flat = [{**p, "item_id": item_id} for item_id, ps in proposals.items() for p in ps]
    db.write(_replace, kind, sorted(proposals), flat, now)


def of_item(db: GraphDB, kind: str, item_id: str) -> list[dict]:
    _check_kind(kind)
    return [r["suggestion"] for r in db.read(rows, _OF_ITEM, kind=kind, item_id=item_id)]


def record_review(db: GraphDB, kind: str, item_id: str, category_id: str, status: str, by: str,
                  now: str) -> dict:
    """Keep the chosen category's record as `status` (an unproposed choice gets confidence 0);
    the item's other open proposals go."""
    _check_kind(kind)
    if status not in REVIEWED:
        raise ValueError(f"status: one of {REVIEWED}, not {status!r}")
    return db.write(_review, kind, item_id, category_id, status, by, now)


def review_queue(db: GraphDB, status: str = "proposed", chain_id: str | None = None) -> list[dict]:
    """Items with suggestions of this status (open ones only while the item's category is
    still the platform's proposal, or it has none), each with its suggestions by rank."""
    if status not in STATUSES:
        raise ValueError(f"status: one of {STATUSES}, not {status!r}")
    return db.read(_queue, status, chain_id)


def reviewed_examples(db: GraphDB, limit: int = 20000) -> list[dict]:
    """{category_id, name, description} of items whose reviewed category they still have, newest first."""
    return db.read(_examples, limit)


def _replace(tx: ManagedTransaction, kind: str, item_ids: list[str], flat: list[dict], now: str) -> None:
    tx.run(_DROP_OPEN, kind=kind, item_ids=item_ids).consume()
    if flat:
        tx.run(_CREATE, kind=kind, rows=flat, now=now).consume()


def _review(tx: ManagedTransaction, kind: str, item_id: str, category_id: str, status: str, by: str,
            now: str) -> dict:
    kept = tx.run(_REVIEW, kind=kind, item_id=item_id, category_id=category_id, status=status, by=by,
                  now=now).single()["suggestion"]
    tx.run(_DROP_OPEN, kind=kind, item_ids=[item_id]).consume()
    return kept


def _queue(tx: ManagedTransaction, status: str, chain_id: str | None) -> list[dict]:
    return [r for kind in KINDS for r in tx.run(_QUEUE[kind], status=status, chain=chain_id).data()]


def _examples(tx: ManagedTransaction, limit: int) -> list[dict]:
    return [r for kind in KINDS for r in tx.run(_EXAMPLES[kind], reviewed=list(REVIEWED), limit=limit).data()]


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"kind: one of {tuple(KINDS)}, not {kind!r}")
