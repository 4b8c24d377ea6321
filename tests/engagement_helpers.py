"""Engagements for rate and plan tests, made through the real service (docking.engagements) by an admin."""
from __future__ import annotations

from matchmaker.docking import engagements
from tests.helpers import SYSTEM


def write_engagement(db, demand_id: str, supplier_id: str, *, value: float, quantity: float,
                     status: str = "contracted", supply_item_id: str | None = None) -> str:
    """Invite, accept, then move to `status` (contracted with quantity, value and a start date)."""
    made = engagements.invite(db, SYSTEM, demand_id, supplier_id, supply_item_id)
    engagements.move(db, SYSTEM, made["id"], "accepted")
    if status == "contracted":
        engagements.move(db, SYSTEM, made["id"], status, quantity=quantity, value=value, start_date="2027-01-01")
    elif status != "accepted":
        engagements.move(db, SYSTEM, made["id"], status)
    return made["id"]
