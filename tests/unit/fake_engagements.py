"""An in-memory engagement repository (matchmaker.docking.port.EngagementRepository) for unit tests."""
from __future__ import annotations

from typing import Callable


class FakeEngagements:
    def __init__(self, enterprises: dict[str, dict], demands: dict[str, dict], supplies: dict[str, dict] | None = None,
                 users: list[dict] | None = None) -> None:
        self.enterprises = enterprises          # id -> {role, name, local}
        self.demands = demands                  # id -> {status, enterprise_id, chain_id, name}
        self.supplies = supplies or {}          # id -> {enterprise_id}
        self.users = users or []                # [{user_id, email, role, enterprise_id, lang, chains}]
        self.engagements: dict[str, dict] = {}
        self.events: list[dict] = []
        self.notes: list[dict] = []
        self.before_write: Callable[[], None] | None = None  # runs inside update(), before the compare

    def demand(self, demand_id: str) -> dict | None:
        found = self.demands.get(demand_id)
        return {**found, "id": demand_id} if found else None

    def enterprise(self, enterprise_id: str) -> dict | None:
        found = self.enterprises.get(enterprise_id)
        return {**found, "id": enterprise_id} if found else None

    def supply_item(self, item_id: str) -> dict | None:
        found = self.supplies.get(item_id)
        return {**found, "id": item_id} if found else None

    def create(self, engagement: dict, event: dict, active: tuple[str, ...]) -> str | None:
        for other in self.engagements.values():
            if (other["demand_id"], other["supplier_id"]) == (engagement["demand_id"], engagement["supplier_id"]) \
                    and other["status"] in active:
                return other["id"]
        self.engagements[engagement["id"]] = {**engagement, "version": 1, "quantity": None, "value": None,
                                              "start_date": None, "reason": None}
        self.events.append(dict(event))
        return None

    def update(self, engagement_id: str, expected_version: int, changes: dict, event: dict,
               now: str) -> tuple[bool, int | None]:
        if self.before_write:
            self.before_write()
        current = self.engagements.get(engagement_id)
        if current is None or current["version"] != expected_version:
            return False, current and current["version"]
        current.update(changes, version=expected_version + 1, updated_at=now)
        self.events.append(dict(event))
        return True, current["version"]

    def get(self, engagement_id: str) -> dict | None:
        found = self.engagements.get(engagement_id)
        if found is None:
            return None
        names = {"demand_name": self.demands[found["demand_id"]].get("name"),
                 "supplier_name": self.enterprises[found["supplier_id"]].get("name"),
                 "leader_name": self.enterprises[found["leader_id"]].get("name")}
        return {**found, **names}

    def history(self, engagement_id: str) -> list[dict]:
        return sorted((e for e in self.events if e["engagement_id"] == engagement_id), key=lambda e: e["n"])

    def search(self, filters: dict, skip: int, limit: int) -> tuple[list[dict], int]:
        keys = {"demand_id": "demand_id", "supplier_id": "supplier_id", "chain_id": "chain_id",
                "leader_scope": "leader_id", "supplier_scope": "supplier_id", "round_id": "round_id"}
        found = [self.get(i) for i, e in sorted(self.engagements.items())
                 if all(filters.get(k) is None or e.get(f) == filters[k] for k, f in keys.items())
                 and (filters.get("statuses") is None or e["status"] in filters["statuses"])]
        return found[skip:skip + limit], len(found)

    def accounts(self, enterprise_ids: list[str], chain_id: str | None, officials: bool) -> list[dict]:
        return [u for u in self.users if u.get("enterprise_id") in enterprise_ids or (
            officials and u["role"] == "official" and (not u.get("chains") or chain_id in u["chains"]))]

    def notify(self, notes: list[dict]) -> int:
        self.notes += notes
        return len(notes)
