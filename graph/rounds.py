"""Matchmaking rounds (对接会): (:Round) and its (:RoundPair)-[:IN]->(:Round).

Round {id, title, date, place, chains, status ('planned'|'held'), created_by, created_at, version}
RoundPair {id, round_id, engagement_id, demand_id, supplier_id, supply_item_id, leader_id, table_no,
           outcome (null|met|follow_up|signed|no_fit), value, note, updated_at}

Pairs never write engagements: the service invites and moves them (matchmaker.docking.engagements)
and stores here only the link. Writes take the change counter first (graph.changes), so adding
pairs (and their table numbers) is serialised with every other writer.
"""
from __future__ import annotations

from typing import LiteralString

from neo4j import ManagedTransaction

from .changes import next_seq
from .db import GraphDB, one, rows

_ROUND: LiteralString = "r {.id, .title, .date, .place, .chains, .status, .created_by, .created_at, .version}"
_PAIR: LiteralString = ("p {.id, .round_id, .engagement_id, .demand_id, .supplier_id, .supply_item_id, .leader_id, "
                        ".table_no, .outcome, .value, .note, .updated_at}")

_CREATE: LiteralString = f"""
CREATE (r:Round {{id: $r.id, title: $r.title, date: $r.date, place: $r.place, chains: $r.chains,
                  status: 'planned', created_by: $r.created_by, created_at: $r.created_at, version: 1}})
RETURN {_ROUND} AS round
"""
_GET: LiteralString = f"MATCH (r:Round {{id: $id}}) RETURN {_ROUND} AS round"
_LIST: LiteralString = f"MATCH (r:Round) RETURN {_ROUND} AS round"
_LIST_OF_FIRM: LiteralString = f"""
MATCH (p:RoundPair) WHERE p.leader_id = $firm OR p.supplier_id = $firm
WITH DISTINCT p.round_id AS round_id
MATCH (r:Round {{id: round_id}})
RETURN {_ROUND} AS round
"""
# Compare-and-set on the version, as item edits do.
_UPDATE: LiteralString = f"""
MATCH (r:Round {{id: $id}}) WHERE r.version = $expected
SET r += $changes, r.version = r.version + 1
RETURN {_ROUND} AS round
"""
_DELETE: LiteralString = """
MATCH (r:Round {id: $id}) WHERE r.version = $expected
OPTIONAL MATCH (p:RoundPair)-[:IN]->(r)
DETACH DELETE p
WITH DISTINCT r
DETACH DELETE r
RETURN count(*) AS n
"""
_TABLES: LiteralString = """
MATCH (p:RoundPair {round_id: $id})
RETURN p.leader_id AS leader_id, p.table_no AS table_no, p.demand_id AS demand_id, p.supplier_id AS supplier_id
"""
_ADD: LiteralString = f"""
MATCH (r:Round {{id: $id}})
UNWIND $pairs AS pair
CREATE (p:RoundPair {{id: pair.id, round_id: $id, engagement_id: pair.engagement_id, demand_id: pair.demand_id,
                      supplier_id: pair.supplier_id, supply_item_id: pair.supply_item_id, leader_id: pair.leader_id,
                      table_no: pair.table_no, outcome: null, value: null, note: '', updated_at: $now}})-[:IN]->(r)
RETURN {_PAIR} AS pair
"""
# A pair with the names the pages and the agenda show: leader, supplier, items, contacts, the
# engagement's stage. Contacts are the firms' active accounts (name and email).
_PAIRS: LiteralString = f"""
MATCH (p:RoundPair {{round_id: $id}})
WHERE $firm IS NULL OR p.leader_id = $firm OR p.supplier_id = $firm
OPTIONAL MATCH (l:Enterprise {{id: p.leader_id}})
OPTIONAL MATCH (s:Enterprise {{id: p.supplier_id}})
OPTIONAL MATCH (d:DemandItem {{id: p.demand_id}})
OPTIONAL MATCH (o:SupplyItem {{id: p.supply_item_id}})
OPTIONAL MATCH (g:Engagement {{id: p.engagement_id}})
OPTIONAL MATCH (u:User {{enterprise_id: p.supplier_id}}) WHERE u.active = true
WITH p, l, s, d, o, g,
     collect(CASE WHEN coalesce(u.name, '') = '' THEN u.email ELSE u.name + ' <' + u.email + '>' END) AS contacts
RETURN {_PAIR} AS pair, l.name AS leader_name, l.name_en AS leader_name_en, s.name AS supplier_name,
       s.name_en AS supplier_name_en, coalesce(s.local, false) AS supplier_local, d.name AS demand_name,
       d.value AS demand_value, d.quantity AS demand_quantity, d.unit AS demand_unit, o.name AS supply_item_name,
       g.status AS engagement_status, g.version AS engagement_version, contacts
"""
_PAIR_GET: LiteralString = f"MATCH (p:RoundPair {{id: $id, round_id: $round_id}}) RETURN {_PAIR} AS pair"
_OUTCOME: LiteralString = f"""
MATCH (p:RoundPair {{id: $id, round_id: $round_id}})
SET p.outcome = $outcome, p.value = $value, p.note = $note, p.updated_at = $now
WITH p
MATCH (r:Round {{id: $round_id}})
SET r.status = 'held'
RETURN {_PAIR} AS pair
"""
_PAIR_DELETE: LiteralString = """
MATCH (p:RoundPair {id: $id, round_id: $round_id}) DETACH DELETE p RETURN count(*) AS n
"""


def create(db: GraphDB, record: dict) -> dict:
    return db.write(lambda tx: _with_seq(tx, _CREATE, r=record)["round"])


def get(db: GraphDB, round_id: str) -> dict | None:
    found = db.read(one, _GET, id=round_id)
    return found["round"] if found else None


def list_rounds(db: GraphDB, firm: str | None = None) -> list[dict]:
    """Every round, newest date first; with `firm`, only those where that firm has a pair."""
    found = db.read(rows, _LIST) if firm is None else db.read(rows, _LIST_OF_FIRM, firm=firm)
    return sorted((r["round"] for r in found), key=lambda r: (r.get("date") or "", r["id"]), reverse=True)


def update(db: GraphDB, round_id: str, changes: dict, expected: int) -> dict | None:
    """Set fields if the round still has version `expected`; None when it has not (or is gone)."""
    found = db.write(lambda tx: _with_seq(tx, _UPDATE, id=round_id, changes=changes, expected=expected))
    return found["round"] if found else None


def delete(db: GraphDB, round_id: str, expected: int) -> bool:
    """Delete the round and its pairs (not their engagements) if it still has version `expected`."""
    return bool(db.write(lambda tx: _with_seq(tx, _DELETE, id=round_id, expected=expected) or {}).get("n"))


def add_pairs(db: GraphDB, round_id: str, plan, now: str) -> list[dict]:
    """Add pairs in one transaction. `plan(existing)` gets the round's pairs as they are inside the
    write ({leader_id, table_no, demand_id, supplier_id}) and returns the new pairs with their
    table numbers; running it inside the write keeps table numbers unique under concurrent adds."""
    def work(tx: ManagedTransaction) -> list[dict]:
        next_seq(tx)
        existing = tx.run(_TABLES, id=round_id).data()
        new = plan(existing)
        return [r["pair"] for r in tx.run(_ADD, id=round_id, pairs=new, now=now).data()] if new else []
    return db.write(work)


def pairs_of(db: GraphDB, round_id: str, firm: str | None = None) -> list[dict]:
    """The round's pairs (only those of `firm` when given) with names, contacts and stages,
    by table number then supplier name."""
    found = db.read(rows, _PAIRS, id=round_id, firm=firm)
    out = [{**r.pop("pair"), **r} for r in found]
    return sorted(out, key=lambda p: (p.get("table_no") or 0, p.get("supplier_name") or "", p["id"]))


def get_pair(db: GraphDB, round_id: str, pair_id: str) -> dict | None:
    found = db.read(one, _PAIR_GET, id=pair_id, round_id=round_id)
    return found["pair"] if found else None


def set_outcome(db: GraphDB, round_id: str, pair_id: str, outcome: str | None, value: float | None, note: str,
                now: str) -> dict | None:
    """Record a pair's outcome; the round becomes 'held'."""
    found = db.write(lambda tx: _with_seq(tx, _OUTCOME, id=pair_id, round_id=round_id, outcome=outcome,
                                          value=value, note=note, now=now))
    return found["pair"] if found else None


def delete_pair(db: GraphDB, round_id: str, pair_id: str) -> bool:
    return bool(db.write(lambda tx: _with_seq(tx, _PAIR_DELETE, id=pair_id, round_id=round_id) or {}).get("n"))


def _with_seq(tx: ManagedTransaction, query: LiteralString, **params) -> dict | None:
    next_seq(tx)
    return one(tx, query, **params)


_OPEN_DEMANDS: LiteralString = """
MATCH (d:DemandItem)
WHERE d.chain_id IN $chains AND d.status = 'published' AND coalesce(d.current_supplier_local, false) = false
RETURN d.id AS id, coalesce(d.value, 0) AS value
"""


def open_demands(db: GraphDB, chains: list[str], limit: int) -> list[str]:
    """Ids of the published demand items of these chains not served locally today, highest value first."""
    found = db.read(rows, _OPEN_DEMANDS, chains=list(chains))
    return [r["id"] for r in sorted(found, key=lambda r: (-r["value"], r["id"]))[:limit]]
