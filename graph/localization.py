"""The projection the localization rates are computed from: one read query per scope (a chain, or all).

Rows of three kinds in one UNION ALL query: chains (id, target), and per leader of the scope each of
its demand items with the contracted engagements on it and its potential-rate verdict (graph.potential:
`potential`, and `potential_due` when the verdict is missing or older than the item's last edit;
leader fields repeat on every row; a leader without demand items has one row with no item). Records become plain dicts here; the pure module
matchmaker.analytics.localization turns them into rates.
"""
from __future__ import annotations

from typing import LiteralString

from neo4j import ManagedTransaction

from .db import GraphDB, rows

_PROJECTION: LiteralString = """
MATCH (c:Chain) WHERE $chain IS NULL OR c.id = $chain
RETURN 'chain' AS kind, c.id AS chain_id, c.localization_target AS target,
       null AS leader_id, null AS name, null AS name_en, null AS annual, null AS local, null AS chains,
       null AS demand_id, null AS value, null AS served, null AS segment_id, null AS category_id, null AS status,
       null AS engagement_id, null AS contract_value, null AS contract_status, null AS supplier_local,
       null AS potential, null AS potential_due
UNION ALL
MATCH (l:Enterprise {role: 'leader'})-[:LEADS]->(c:Chain) WHERE $chain IS NULL OR c.id = $chain
WITH l, collect(c.id) AS chains
OPTIONAL MATCH (l)-[:NEEDS]->(d:DemandItem)
OPTIONAL MATCH (g:Engagement {status: 'contracted'})-[:FOR]->(d)
OPTIONAL MATCH (g)-[:WITH]->(s:Enterprise)
OPTIONAL MATCH (p:PotentialCheck {demand_id: d.id})
RETURN 'item' AS kind, d.chain_id AS chain_id, null AS target,
       l.id AS leader_id, l.name AS name, l.name_en AS name_en, l.annual_procurement AS annual,
       l.local_procurement AS local, chains,
       d.id AS demand_id, d.value AS value, d.current_supplier_local AS served, d.segment_id AS segment_id,
       d.category_id AS category_id, d.status AS status,
       g.id AS engagement_id, g.value AS contract_value, g.status AS contract_status, s.local AS supplier_local,
       p.local AS potential, d IS NOT NULL AND (p IS NULL OR coalesce(d.seq, 0) > p.seq) AS potential_due
"""


def projection_rows(db: GraphDB, chain_id: str | None = None) -> list[dict]:
    """The rows of one scope: chain_id, or every chain when None."""
    return db.read(_read, chain_id)


def _read(tx: ManagedTransaction, chain_id: str | None) -> list[dict]:
    return rows(tx, _PROJECTION, chain=chain_id)


# The same projection in parts, for when the demand items come from the list index
# (matchmaker.services.rate_inputs): the scope's leaders, the contracts on their items, the taxonomy's ids.
# In one record of plain values (no per-value transform): 5,000 leaders as records cost the driver
# twice the time (measured at 1M items).
_LEADERS_RETURN: LiteralString = """
MATCH (l)-[:LEADS]->(c:Chain)
WITH l, collect(c.id) AS chains
RETURN collect([l.id, l.name, l.name_en, l.annual_procurement, l.local_procurement, chains]) AS leaders
"""
_LEADERS: dict[bool, LiteralString] = {
    True: "MATCH (l:Enterprise {role: 'leader'})" + _LEADERS_RETURN,
    False: "MATCH (:Chain {id: $chain})<-[:LEADS]-(l:Enterprise {role: 'leader'})" + _LEADERS_RETURN,
}
_LEADER_FIELDS = ("id", "name", "name_en", "annual", "local", "chains")
_CONTRACTS: LiteralString = """
MATCH (g:Engagement {status: 'contracted'})-[:FOR]->(d:DemandItem)<-[:NEEDS]-(l:Enterprise)
WHERE l.id IN $leaders
OPTIONAL MATCH (g)-[:WITH]->(s:Enterprise)
RETURN g.id AS id, d.id AS demand_id, g.value AS value, g.status AS status, s.local AS supplier_local,
       l.id AS leader_id, d.current_supplier_local AS served
"""
_TARGETS: LiteralString = """
MATCH (c:Chain) WHERE $chain IS NULL OR c.id = $chain
RETURN c.id AS id, c.localization_target AS target
"""
_TAXONOMY_IDS: LiteralString = """
MATCH (c:Chain) RETURN c.id AS id
UNION ALL MATCH (s:Segment) RETURN s.id AS id
UNION ALL MATCH (k:Category) RETURN k.id AS id
"""


def leaders(db: GraphDB, chain_id: str | None = None) -> list[dict]:
    """The scope's leaders: {id, name, name_en, annual, local, chains (every chain each leads)}."""
    found = db.read(lambda tx: tx.run(_LEADERS[chain_id is None], chain=chain_id).single().value())
    return [dict(zip(_LEADER_FIELDS, leader)) for leader in found or []]


def targets(db: GraphDB, chain_id: str | None = None) -> dict[str, float | None]:
    """{chain id: its localization target} of the scope."""
    return {r["id"]: r["target"] for r in db.read(rows, _TARGETS, chain=chain_id)}


def contracts(db: GraphDB, leader_ids: list[str]) -> list[dict]:
    """Contracted engagements on these leaders' demand items: {id, demand_id, value, status, supplier_local,
    leader_id, served (the item's current_supplier_local)}."""
    return db.read(rows, _CONTRACTS, leaders=list(leader_ids))


def taxonomy_ids(db: GraphDB) -> list[str]:
    """The ids of every chain, segment and category."""
    return [r["id"] for r in db.read(rows, _TAXONOMY_IDS)]
