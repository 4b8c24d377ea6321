"""A contracted engagement written in the shared contract's shape (docs/DOCKING.md), for tests that need
one before the engagements service exists on this branch. Replace by engagements.invite()/move()."""
from __future__ import annotations

import uuid

from graph.db import GraphDB

_WRITE = """
MATCH (d:DemandItem {id: $demand_id}), (s:Enterprise {id: $supplier_id})
CREATE (g:Engagement {id: $id, demand_id: $demand_id, supplier_id: $supplier_id, supply_item_id: $supply_item_id,
                      leader_id: d.enterprise_id, chain_id: d.chain_id, category_id: d.category_id,
                      segment_id: d.segment_id, status: $status, opened_at: '2026-11-30T00:00:00+00:00',
                      updated_at: '2026-11-30T00:00:00+00:00', version: 1, seq: 0, quantity: $quantity,
                      value: $value, start_date: '2027-01-01', proxy: false})
CREATE (g)-[:FOR]->(d)
CREATE (g)-[:WITH]->(s)
RETURN g.id AS id
"""


def write_engagement(db: GraphDB, demand_id: str, supplier_id: str, *, value: float, quantity: float,
                     status: str = "contracted", supply_item_id: str | None = None) -> str:
    eid = f"G-{uuid.uuid4().hex[:12]}"
    db.write(lambda tx: tx.run(_WRITE, id=eid, demand_id=demand_id, supplier_id=supplier_id,
                               supply_item_id=supply_item_id, status=status, quantity=quantity,
                               value=value).consume())
    return eid
