"""Stored verdicts of the potential rate: for an open demand item, is its best suggestion local,
fully qualified and a good fit? (matchmaker.services.potential decides; this module keeps them.)

One `(:PotentialCheck {demand_id, local, seq, at})` per checked demand item, beside the item rather
than on it, so item reads and exports do not carry it. `seq` is the change number the graph had
reached when the check ran: an item whose own `seq` is newer was edited since and is checked again.
"""
from __future__ import annotations

from typing import LiteralString

from .changes import last_seq
from .db import GraphDB, rows

# What a check reads of a demand item (the engine's query: text, category, quantity, certifications).
_RETURN_DEMAND: LiteralString = """
RETURN d {.id, .name, .description, .category_id, .chain_id, .segment_id, .quantity, .unit, .unit_price,
          .value, .required_certifications, .prefer_local, .enterprise_id} AS demand
"""

# Open items not served locally, of the scope's leaders, with their check if any.
_OPEN_ITEMS: LiteralString = """
MATCH (l:Enterprise {role: 'leader'})-[:LEADS]->(c:Chain) WHERE $chain IS NULL OR c.id = $chain
WITH DISTINCT l
MATCH (l)-[:NEEDS]->(d:DemandItem {status: 'published'})
WHERE d.current_supplier_local IS NULL OR d.current_supplier_local = false
OPTIONAL MATCH (p:PotentialCheck {demand_id: d.id})
"""
# Those that no check covers yet (never checked, edited since, or checked before `$before`), oldest first.
_DUE: LiteralString = _OPEN_ITEMS + """
WITH d, p WHERE p IS NULL OR coalesce(d.seq, 0) > p.seq OR ($before IS NOT NULL AND p.at < $before)
WITH d, p ORDER BY coalesce(p.at, '') LIMIT $limit
""" + _RETURN_DEMAND

_COUNT_DUE: LiteralString = _OPEN_ITEMS + """
WITH d, p WHERE p IS NULL OR coalesce(d.seq, 0) > p.seq
RETURN count(d) AS due
"""

_BY_IDS: LiteralString = """
UNWIND $ids AS id
MATCH (d:DemandItem {id: id})
""" + _RETURN_DEMAND

_VERDICTS: LiteralString = """
UNWIND $ids AS id
MATCH (p:PotentialCheck {demand_id: id})
RETURN p.demand_id AS id, p.local AS local, p.seq AS seq
"""

# Every local-fit verdict in one record (200,000 records would cost the driver seconds).
_LOCAL_FITS: LiteralString = """
MATCH (p:PotentialCheck) WHERE p.local = true
RETURN collect(p.demand_id) AS ids, collect(p.seq) AS seqs
"""

_SAVE: LiteralString = """
UNWIND $checks AS r
MERGE (p:PotentialCheck {demand_id: r.id})
SET p.local = r.local, p.seq = $seq, p.at = $at
"""


def due(db: GraphDB, chain_id: str | None, limit: int, before: str | None = None) -> list[dict]:
    """Demand items whose check is missing or out of date (also those checked before `before`)."""
    return [r["demand"] for r in db.read(lambda tx: rows(tx, _DUE, chain=chain_id, limit=limit, before=before))]


def count_due(db: GraphDB, chain_id: str | None) -> int:
    return db.read(lambda tx: tx.run(_COUNT_DUE, chain=chain_id).single()["due"])


def demands(db: GraphDB, ids: list[str]) -> list[dict]:
    """The fields a check reads, of these demand items."""
    return [r["demand"] for r in db.read(lambda tx: rows(tx, _BY_IDS, ids=ids))]


def verdicts(db: GraphDB, ids: list[str]) -> dict[str, dict]:
    """{demand id: {local, seq}} for those of these items that were checked."""
    return {r["id"]: r for r in db.read(lambda tx: rows(tx, _VERDICTS, ids=list(ids)))}


def local_fits(db: GraphDB) -> dict[str, int]:
    """{demand id: the change number its check ran at} of every verdict that found a local fit."""
    found = db.read(lambda tx: rows(tx, _LOCAL_FITS))
    return dict(zip(found[0]["ids"], found[0]["seqs"])) if found else {}


def current_seq(db: GraphDB) -> int:
    return db.read(last_seq)


def save(db: GraphDB, checks: dict[str, bool], seq: int, at: str) -> None:
    """Keep these verdicts ({demand id: local fit found}), checked with the graph at change `seq`."""
    if checks:
        payload = [{"id": k, "local": bool(v)} for k, v in checks.items()]
        db.write(lambda tx: tx.run(_SAVE, checks=payload, seq=seq, at=at).consume())
