"""Editions: immutable, dated snapshots of a chain's supply or demand list.

An (:Edition) holds the metadata; its rows live in (:EditionPart) nodes of
PART_SIZE rows each, stored as one JSON string, linked -[:PART_OF]->(Edition).
A chain of 60,000 items is then 120 small nodes instead of 60,000, a page of
rows reads one or two parts, and a snapshot never shares state with the live
items. An edition is written as `pending` (claim, add_parts..., finish) and
only `published` editions are read, so a half-written snapshot is never seen.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import LiteralString

from neo4j import ManagedTransaction

from .db import GraphDB, one, rows

PART_SIZE = 500
_READ_BATCH = 10  # parts per read transaction when streaming a whole edition

_FILTERS: dict[str, LiteralString] = {"chain_id": "e.chain_id = $chain_id", "kind": "e.kind = $kind"}

_GET = "MATCH (e:Edition {id: $id}) RETURN e {.*} AS edition"
_DROP_PARTS = """
MATCH (e:Edition {id: $id})<-[:PART_OF]-(p:EditionPart)
WHERE $positions IS NULL OR p.position IN $positions
DETACH DELETE p
"""
_CLAIM = "MERGE (e:Edition {id: $id}) SET e += $props"
_ADD_PARTS = """
MATCH (e:Edition {id: $id}) WHERE e.state = 'pending'
UNWIND $parts AS p
CREATE (:EditionPart {edition_id: $id, position: p.position, size: p.size, rows: p.rows})-[:PART_OF]->(e)
"""
_FINISH = """
MATCH (e:Edition {id: $id}) WHERE e.state = 'pending'
SET e += $totals, e.state = 'published'
RETURN e {.*} AS edition
"""
_DISCARD = "MATCH (e:Edition {id: $id}) WHERE e.state = 'pending' DETACH DELETE e"
_PARTS = """
MATCH (e:Edition {id: $id})<-[:PART_OF]-(p:EditionPart)
WHERE p.position >= $first AND p.position <= $last
RETURN p.rows AS rows ORDER BY p.position
"""


def claim(db: GraphDB, edition: dict, stale_before: str) -> dict | None:
    """Create `edition` as pending; return the existing edition instead when its id is taken.

    A pending edition started before `stale_before` was abandoned (its writer
    died) and is taken over, its parts dropped.
    """
    return db.write(_claim, edition, stale_before)


def _claim(tx: ManagedTransaction, edition: dict, stale_before: str) -> dict | None:
    found = one(tx, _GET, id=edition["id"])
    if found:
        old = found["edition"]
        if old.get("state") != "pending" or (old.get("started_at") or "") >= stale_before:
            return old
        tx.run(_DROP_PARTS, id=edition["id"], positions=None).consume()
    tx.run(_CLAIM, id=edition["id"], props={**edition, "state": "pending"}).consume()
    return None


def add_parts(db: GraphDB, edition_id: str, first_position: int, parts: list[list[dict]]) -> None:
    """Store consecutive parts (lists of row dicts) of a pending edition."""
    payload = [{"position": first_position + n, "size": len(part),
                "rows": json.dumps(part, ensure_ascii=False, separators=(",", ":"))}
               for n, part in enumerate(parts)]
    db.write(_add_parts, edition_id, payload)


def _add_parts(tx: ManagedTransaction, edition_id: str, payload: list[dict]) -> None:
    # Dropping the same positions first keeps a retried transaction idempotent.
    tx.run(_DROP_PARTS, id=edition_id, positions=[p["position"] for p in payload]).consume()
    tx.run(_ADD_PARTS, id=edition_id, parts=payload).consume()


def finish(db: GraphDB, edition_id: str, totals: dict) -> dict | None:
    """Mark a pending edition published with its totals; from now on it never changes."""
    record = db.write(one, _FINISH, id=edition_id, totals=totals)
    return record["edition"] if record else None


def discard(db: GraphDB, edition_id: str) -> None:
    """Remove a pending edition and its parts (a failed or empty publication)."""
    db.write(_discard, edition_id)


def _discard(tx: ManagedTransaction, edition_id: str) -> None:
    tx.run(_DROP_PARTS, id=edition_id, positions=None).consume()
    tx.run(_DISCARD, id=edition_id).consume()


def get(db: GraphDB, edition_id: str) -> dict | None:
    """A published edition's metadata, or None."""
    record = db.read(one, _GET, id=edition_id)
    edition = record["edition"] if record else None
    return edition if edition and edition.get("state") == "published" else None


def list_editions(db: GraphDB, filters: dict, limit: int = 1000) -> list[dict]:
    """Published editions, newest first; filters are keys of _FILTERS."""
    conditions = ["e.state = 'published'", *(_FILTERS[k] for k in filters if k in _FILTERS)]
    query = (f"MATCH (e:Edition) WHERE {' AND '.join(conditions)} "
             "RETURN e {.*} AS edition ORDER BY e.published_at DESC, e.id LIMIT $limit")
    return [r["edition"] for r in db.read(rows, query, limit=limit, **filters)]


def read_rows(db: GraphDB, edition_id: str, start: int, stop: int) -> list[dict]:
    """Rows start..stop-1 (0-based positions) of an edition."""
    if stop <= start:
        return []
    first, last = start // PART_SIZE, (stop - 1) // PART_SIZE
    found = _decode(db.read(rows, _PARTS, id=edition_id, first=first, last=last))
    offset = start - first * PART_SIZE
    return found[offset: offset + stop - start]


def iter_rows(db: GraphDB, edition_id: str, part_count: int) -> Iterator[dict]:
    """Every row of an edition in order, a few parts per read."""
    for first in range(0, part_count, _READ_BATCH):
        last = min(first + _READ_BATCH, part_count) - 1
        yield from _decode(db.read(rows, _PARTS, id=edition_id, first=first, last=last))


def _decode(parts: list[dict]) -> list[dict]:
    return [row for part in parts for row in json.loads(part["rows"])]
