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
