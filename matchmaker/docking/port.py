"""The repository the engagement service reads and writes through (cosmicpython's repository).

`GraphEngagements` implements it over graph.engagements; unit tests use an in-memory fake
(tests/unit/fake_engagements.py), so the docking rules run without a database.
"""
from __future__ import annotations

from typing import Protocol

from graph import engagements as repo
from graph import notifications
from graph.db import GraphDB


class EngagementRepository(Protocol):
    def demand(self, demand_id: str) -> dict | None:
        """{id, name, status, enterprise_id, chain_id, category_id, segment_id, value} or None."""

    def enterprise(self, enterprise_id: str) -> dict | None:
        """{id, name, name_en, role, local} or None."""

    def supply_item(self, item_id: str) -> dict | None:
        """{id, name, enterprise_id, status} or None."""

    def create(self, engagement: dict, event: dict, active: tuple[str, ...]) -> str | None:
        """Store unless the pair has an engagement in `active`: None, or that engagement's id."""

    def update(self, engagement_id: str, expected_version: int, changes: dict, event: dict,
               now: str) -> tuple[bool, int | None]:
        """Compare-and-set on the version: (written, version now stored or None)."""

    def get(self, engagement_id: str) -> dict | None:
        """The engagement with the demand's and firms' names, or None."""

    def history(self, engagement_id: str) -> list[dict]:
        """Its events, oldest first."""

    def search(self, filters: dict, skip: int, limit: int) -> tuple[list[dict], int]:
        """(a page of engagements, newest change first; total). Keys: graph.engagements.SEARCH_KEYS."""

    def accounts(self, enterprise_ids: list[str], chain_id: str | None, officials: bool) -> list[dict]:
        """Accounts to tell: [{user_id, email, role, enterprise_id, lang}]."""

    def notify(self, notes: list[dict]) -> int:
        """Store in-app notifications (graph.notifications.create_many's rows)."""


class GraphEngagements:
    """graph.engagements over one database."""

    def __init__(self, db: GraphDB):
        self.db = db

    def demand(self, demand_id: str) -> dict | None:
        return repo.demand(self.db, demand_id)

    def enterprise(self, enterprise_id: str) -> dict | None:
        return repo.enterprise(self.db, enterprise_id)

    def supply_item(self, item_id: str) -> dict | None:
        return repo.supply_item(self.db, item_id)

    def create(self, engagement: dict, event: dict, active: tuple[str, ...]) -> str | None:
        return repo.create(self.db, engagement, event, active)

    def update(self, engagement_id: str, expected_version: int, changes: dict, event: dict,
               now: str) -> tuple[bool, int | None]:
        return repo.update(self.db, engagement_id, expected_version, changes, event, now)

    def get(self, engagement_id: str) -> dict | None:
        return repo.get(self.db, engagement_id)

    def history(self, engagement_id: str) -> list[dict]:
        return repo.history(self.db, engagement_id)

    def search(self, filters: dict, skip: int, limit: int) -> tuple[list[dict], int]:
        return repo.search(self.db, filters, skip, limit)

    def accounts(self, enterprise_ids: list[str], chain_id: str | None, officials: bool) -> list[dict]:
        return repo.accounts(self.db, enterprise_ids, chain_id, officials)

    def notify(self, notes: list[dict]) -> int:
        return notifications.create_many(self.db, notes)
