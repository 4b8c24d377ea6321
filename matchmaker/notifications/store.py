"""The notifications repository the services use: the graph's, or an in-memory fake in tests."""
from __future__ import annotations

from typing import Protocol

from graph import notifications as repo
from graph.db import GraphDB


class NotificationStore(Protocol):
    def create_many(self, notes: list[dict]) -> int: ...
    def page_of(self, user_id: str, skip: int, limit: int, unread_only: bool = False) -> list[dict]: ...
    def counts(self, user_id: str) -> dict: ...
    def unread_count(self, user_id: str) -> int: ...
    def mark_read(self, user_id: str, ids: list[str], now: str) -> list[str]: ...
    def mark_all_read(self, user_id: str, now: str) -> int: ...
    def recipients(self, enterprise_ids: list[str]) -> list[dict]: ...


class GraphStore:
    """graph.notifications over one database."""

    def __init__(self, db: GraphDB):
        self.db = db

    def create_many(self, notes: list[dict]) -> int:
        return repo.create_many(self.db, notes)

    def page_of(self, user_id: str, skip: int, limit: int, unread_only: bool = False) -> list[dict]:
        return repo.page_of(self.db, user_id, skip, limit, unread_only)

    def counts(self, user_id: str) -> dict:
        return repo.counts(self.db, user_id)

    def unread_count(self, user_id: str) -> int:
        return repo.unread_count(self.db, user_id)

    def mark_read(self, user_id: str, ids: list[str], now: str) -> list[str]:
        return repo.mark_read(self.db, user_id, ids, now)

    def mark_all_read(self, user_id: str, now: str) -> int:
        return repo.mark_all_read(self.db, user_id, now)

    def recipients(self, enterprise_ids: list[str]) -> list[dict]:
        return repo.recipients(self.db, enterprise_ids)
