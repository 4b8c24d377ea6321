"""Monthly rate snapshots (:RateSnapshot {id = month|scope|scope_id, month, scope, scope_id, rate, potential,
target, local_value, contracted_value, total, taken_at}): written once, never rewritten.

MERGE on the unique id with ON CREATE SET only: a second write of the same snapshot changes nothing,
and two concurrent runs cannot both create one (the unique constraint of migration 10).
"""
from __future__ import annotations

from typing import LiteralString

from neo4j import ManagedTransaction

from .db import GraphDB, rows

BATCH = 500
FIELDS = ("month", "scope", "scope_id", "rate", "potential", "target", "local_value", "contracted_value",
          "total", "taken_at")
_PROJECTION: LiteralString = "s {.id, .month, .scope, .scope_id, .rate, .potential, .target, .local_value, " \
                             ".contracted_value, .total, .taken_at}"

_WRITE: LiteralString = """
UNWIND $rows AS r
MERGE (s:RateSnapshot {id: r.id})
ON CREATE SET s.month = r.month, s.scope = r.scope, s.scope_id = r.scope_id, s.rate = r.rate,
              s.potential = r.potential, s.target = r.target, s.local_value = r.local_value,
              s.contracted_value = r.contracted_value, s.total = r.total, s.taken_at = r.taken_at
RETURN count(*) AS n
"""
_MONTH_SCOPES: LiteralString = """
MATCH (s:RateSnapshot {month: $month})
RETURN s.scope AS scope, count(s) AS n
"""
_OF_SCOPE: LiteralString = """
MATCH (s:RateSnapshot {scope: $scope}) WHERE s.scope_id IN $ids
RETURN """ + _PROJECTION + """ AS snapshot
ORDER BY s.month
"""


def month_counts(db: GraphDB, month: str) -> dict[str, int]:
    """{scope: snapshots kept} for the month ({} when none)."""
    return {r["scope"]: int(r["n"]) for r in db.read(rows, _MONTH_SCOPES, month=month)}


def write(db: GraphDB, snapshots: list[dict], progress=None) -> None:
    """Create the snapshots not kept yet, BATCH per transaction; `progress(n)` after each batch."""
    for start in range(0, len(snapshots), BATCH):
        chunk = snapshots[start:start + BATCH]
        db.write(_write, chunk)
        if progress:
            progress(len(chunk))


def of_scope(db: GraphDB, scope: str, scope_ids: list[str]) -> dict[str, list[dict]]:
    """{scope_id: its snapshots, oldest first} for these ids of one scope ('' is the id of scope 'all')."""
    out: dict[str, list[dict]] = {i: [] for i in scope_ids}
    for r in db.read(rows, _OF_SCOPE, scope=scope, ids=list(scope_ids)):
        out.setdefault(r["snapshot"]["scope_id"], []).append(r["snapshot"])
    for series in out.values():
        series.sort(key=lambda s: s["month"])
    return out


def _write(tx: ManagedTransaction, chunk: list[dict]) -> None:
    tx.run(_WRITE, rows=[{"id": r["id"], **{k: r.get(k) for k in FIELDS}} for r in chunk]).consume()


_CHAIN_LEADERS: LiteralString = """
MATCH (l:Enterprise {role: 'leader'})-[:LEADS]->(:Chain {id: $chain_id})
RETURN l.id AS id, l.name AS name, l.name_en AS name_en
ORDER BY l.name, l.id
"""


def chain_leaders(db: GraphDB, chain_id: str) -> list[dict]:
    """The leader firms of a chain (id, name, name_en), by name."""
    return db.read(rows, _CHAIN_LEADERS, chain_id=chain_id)
