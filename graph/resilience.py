"""The projection a chain's resilience is computed from (matchmaker.analytics.resilience), in one query.

Rows of three kinds in one UNION ALL: each category of the chain; each (category, firm) offering published
supply items in it, with the firm's `local` copy on the item; each (category, buyer) with the value of its
published demand items there. Items reach their category by the indexed `category_id`.
"""
from __future__ import annotations

from typing import LiteralString

from .db import GraphDB, rows

_PROJECTION: LiteralString = """
MATCH (k:Category {chain_id: $chain_id})
RETURN 'category' AS kind, k.id AS category_id, null AS firm_id, null AS local, null AS value
UNION ALL
MATCH (k:Category {chain_id: $chain_id})
MATCH (s:SupplyItem {category_id: k.id}) WHERE s.status = 'published'
RETURN 'supply' AS kind, k.id AS category_id, s.enterprise_id AS firm_id,
       max(CASE WHEN s.local = true THEN 1 ELSE 0 END) AS local, null AS value
UNION ALL
MATCH (k:Category {chain_id: $chain_id})
MATCH (d:DemandItem {category_id: k.id}) WHERE d.status = 'published'
RETURN 'demand' AS kind, k.id AS category_id, d.enterprise_id AS firm_id, null AS local,
       sum(coalesce(d.value, 0)) AS value
"""


def projection_rows(db: GraphDB, chain_id: str) -> list[dict]:
    return db.read(rows, _PROJECTION, chain_id=chain_id)
