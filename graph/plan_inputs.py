"""What the batch plan (and the potential rate) read: open demand items not served locally, and the
supply items of candidate suppliers with the quantities their contracts already commit. Two queries.
"""
from __future__ import annotations

from typing import LiteralString

from neo4j import ManagedTransaction

from .db import GraphDB, rows

# One row per (open demand item, contracted engagement on it with a local supplier or none).
_OPEN_DEMANDS: LiteralString = """
MATCH (l:Enterprise {role: 'leader'})-[:LEADS]->(c:Chain) WHERE $chain IS NULL OR c.id = $chain
WITH DISTINCT l
MATCH (l)-[:NEEDS]->(d:DemandItem {status: 'published'})
WHERE d.current_supplier_local IS NULL OR d.current_supplier_local = false
OPTIONAL MATCH (g:Engagement {status: 'contracted'})-[:FOR]->(d)
OPTIONAL MATCH (g)-[:WITH]->(s:Enterprise {local: true})
RETURN d {.id, .name, .description, .category_id, .chain_id, .segment_id, .quantity, .unit, .unit_price,
          .value, .required_certifications, .prefer_local, .enterprise_id} AS demand,
       l.name AS leader_name, l.name_en AS leader_name_en,
       CASE WHEN s IS NULL THEN null ELSE g.quantity END AS contracted_quantity
"""

# Supply items of these ids with their supplier, and every contracted engagement of that supplier
# (the plan charges each to the item it names, or to an item of the demand's category and unit).
_OFFERS: LiteralString = """
UNWIND $ids AS id
MATCH (e:Enterprise)-[:OFFERS]->(i:SupplyItem {id: id})
OPTIONAL MATCH (g:Engagement {status: 'contracted'})-[:WITH]->(e)
OPTIONAL MATCH (g)-[:FOR]->(d:DemandItem)
RETURN i {.id, .name, .capacity, .unit, .category_id, .status} AS item, e.id AS supplier_id,
       e.name AS supplier_name, e.name_en AS supplier_name_en, e.local AS supplier_local,
       g.id AS engagement_id, g.supply_item_id AS engaged_item, g.quantity AS engaged_quantity,
       d.category_id AS engaged_category, d.unit AS engaged_unit
"""

# The other supply items of those suppliers (an engagement that names no item may be charged to them).
_SIBLINGS: LiteralString = """
UNWIND $suppliers AS sid
MATCH (:Enterprise {id: sid})-[:OFFERS]->(i:SupplyItem)
RETURN i {.id, .capacity, .unit, .category_id} AS item, sid AS supplier_id
"""


def open_demands(db: GraphDB, chain_id: str | None = None) -> list[dict]:
    return db.read(_rows, _OPEN_DEMANDS, chain=chain_id)


def offers(db: GraphDB, supply_item_ids: list[str]) -> tuple[list[dict], list[dict]]:
    """(rows of the named supply items with their suppliers' contracts, all items of those suppliers)."""
    return db.read(_offers, list(supply_item_ids))


def _rows(tx: ManagedTransaction, query: LiteralString, **params) -> list[dict]:
    return rows(tx, query, **params)


def _offers(tx: ManagedTransaction, ids: list[str]) -> tuple[list[dict], list[dict]]:
    found = rows(tx, _OFFERS, ids=ids)
    suppliers = sorted({r["supplier_id"] for r in found})
    return found, rows(tx, _SIBLINGS, suppliers=suppliers)
