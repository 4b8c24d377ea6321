"""What a chain's gap map and a category's page read: local coverage and demand per category.

Items reach their category by the indexed `category_id`; an item's `local` and `tier` are
copies of its firm's (graph.derived), so coverage needs no join to the enterprises.
Only published items count: a draft offers nothing yet and a closed demand asks for nothing.
"""
from __future__ import annotations

from typing import LiteralString

from neo4j import ManagedTransaction

from .db import GraphDB, rows

# Per category of the chain: distinct local and outside suppliers, open demand and its value.
_COVERAGE: LiteralString = """
MATCH (k:Category {chain_id: $chain_id})
CALL { WITH k
  OPTIONAL MATCH (s:SupplyItem {category_id: k.id}) WHERE s.status = 'published'
  RETURN count(DISTINCT CASE WHEN s.local = true THEN s.enterprise_id END) AS local_suppliers,
         count(DISTINCT CASE WHEN coalesce(s.local, false) = false THEN s.enterprise_id END) AS outside_suppliers,
         count(s) AS supply_items }
CALL { WITH k
  OPTIONAL MATCH (d:DemandItem {category_id: k.id}) WHERE d.status = 'published'
  RETURN count(d) AS demand_items, sum(coalesce(d.value, 0)) AS demand_value,
         sum(CASE WHEN d.current_supplier_local = true THEN coalesce(d.value, 0) ELSE 0 END) AS served_locally }
RETURN k.id AS id, k.name_zh AS name_zh, k.name_en AS name_en, k.segment_id AS segment_id,
       k.stage AS stage, k.position AS position, local_suppliers, outside_suppliers, supply_items,
       demand_items, demand_value, served_locally
ORDER BY position, id
"""

# The same categories without their items (the counts then come from the list index).
_CATEGORIES: LiteralString = """
MATCH (k:Category {chain_id: $chain_id})
RETURN k.id AS id, k.name_zh AS name_zh, k.name_en AS name_en, k.segment_id AS segment_id,
       k.stage AS stage, k.position AS position
ORDER BY position, id
"""

_CATEGORY: LiteralString = """
MATCH (k:Category {id: $id})
OPTIONAL MATCH (s:Segment {id: k.segment_id})
OPTIONAL MATCH (c:Chain {id: k.chain_id})
RETURN k {.id, .name_zh, .name_en, .keywords, .chain_id, .segment_id, .stage} AS category,
       s {.id, .name_zh, .name_en, .stage} AS segment, c {.id, .name_zh, .name_en} AS chain
"""
# The firms offering in the category, with how many items each; the caller splits local ones.
_SUPPLIERS: LiteralString = """
MATCH (s:SupplyItem {category_id: $id}) WHERE s.status = 'published'
WITH s.enterprise_id AS enterprise_id, count(s) AS items, collect(s.id)[0..5] AS item_ids
MATCH (e:Enterprise {id: enterprise_id})
RETURN e {.id, .name, .name_en, .tier, .local, .role} AS enterprise, items, item_ids
ORDER BY e.local DESC, items DESC, e.id
LIMIT $limit
"""
_DEMANDS: LiteralString = """
MATCH (d:DemandItem {category_id: $id}) WHERE d.status = 'published'
RETURN d {.id, .name, .description, .enterprise_id, .quantity, .unit, .unit_price, .value, .deadline,
          .current_supplier_region, .current_supplier_local, .required_certifications, .prefer_local,
          .category_id, .chain_id} AS item
ORDER BY coalesce(d.value, 0) DESC, d.id
LIMIT $limit
"""
# Local SMEs offering in the categories next to this one (what feeds it, what it feeds, and the
# other categories of its segment) but not in it: firms that could grow into it.
_NEIGHBOUR_SMES: LiteralString = """
MATCH (k:Category {id: $id})
OPTIONAL MATCH (k)-[:FEEDS]-(fed:Category)
OPTIONAL MATCH (sib:Category {segment_id: k.segment_id}) WHERE sib.id <> k.id
WITH k, collect(DISTINCT fed.id) AS fed_ids, collect(DISTINCT sib.id) AS sibling_ids
UNWIND fed_ids + [x IN sibling_ids WHERE NOT x IN fed_ids] AS near_id
MATCH (s:SupplyItem {category_id: near_id}) WHERE s.status = 'published' AND s.local = true
WITH near_id, s.enterprise_id AS enterprise_id, near_id IN fed_ids AS feeds_link
MATCH (e:Enterprise {id: enterprise_id}) WHERE e.role = 'sme'
  AND NOT EXISTS { MATCH (x:SupplyItem {category_id: $id, enterprise_id: e.id}) WHERE x.status = 'published' }
MATCH (n:Category {id: near_id})
RETURN e {.id, .name, .name_en, .tier} AS enterprise,
       collect(DISTINCT n {.id, .name_zh, .name_en}) AS via, max(CASE WHEN feeds_link THEN 1 ELSE 0 END) AS feeds
LIMIT $limit
"""


def coverage(db: GraphDB, chain_id: str) -> list[dict]:
    """Every category of the chain with its local/outside supplier counts and open demand."""
    return db.read(rows, _COVERAGE, chain_id=chain_id)


def categories(db: GraphDB, chain_id: str) -> list[dict]:
    """The chain's categories as `coverage` lists them, without the counts."""
    return db.read(rows, _CATEGORIES, chain_id=chain_id)


def category_page(db: GraphDB, category_id: str, limit: int = 200) -> dict | None:
    """A category with its segment and chain, its suppliers, open demand and neighbouring local SMEs."""
    return db.read(_category_page, category_id, limit)


def _category_page(tx: ManagedTransaction, category_id: str, limit: int) -> dict | None:
    head = rows(tx, _CATEGORY, id=category_id)
    if not head:
        return None
    return {**head[0],
            "suppliers": rows(tx, _SUPPLIERS, id=category_id, limit=limit),
            "demand_items": [r["item"] for r in rows(tx, _DEMANDS, id=category_id, limit=limit)],
            "neighbour_smes": rows(tx, _NEIGHBOUR_SMES, id=category_id, limit=limit)}
