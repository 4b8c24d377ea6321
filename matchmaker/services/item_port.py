"""The port the item service writes and reads through (cosmicpython's repository).

`matchmaker.services.graph_items.GraphItemRepository` implements it over graph/;
unit tests use an in-memory fake (tests/unit/fake_items.py), so the list rules run
without a database.
"""
from __future__ import annotations

from typing import Protocol

from graph.item_search import ItemQuery

from .resolve import Resolver


class ItemRepository(Protocol):
    def get(self, kind: str, item_id: str) -> dict | None:
        """One item with its firm's and category's names, or None."""

    def history(self, kind: str, item_id: str) -> list[dict]:
        """The item's revisions, newest first."""

    def enterprise_roles(self, ids: list[str]) -> dict[str, dict]:
        """{enterprise id: {role, local, tier}} of those that exist."""

    def reference(self, home_region: str) -> Resolver:
        """Regions, chains and categories for resolving a record's names (a fake may subclass Resolver)."""

    def create(self, kind: str, record: dict, now: str, actor: str) -> str | None:
        """Create the item unless its id exists; None, or the existing item's owner id."""

    def update(self, kind: str, record: dict, expected_version: int, now: str, actor: str,
               action: str) -> tuple[bool, int | None]:
        """Write the item only if it still has expected_version: (written, version now stored or None)."""

    def propose_categories(self, kind: str, records: list[dict]) -> None:
        """Keep the top proposals for written records whose category the platform proposed."""

    def search(self, query: ItemQuery) -> tuple[list[str], int]:
        """(ids of the page's items in order, total matching)."""

    def items_by_ids(self, kind: str, ids: list[str]) -> list[dict]:
        """Whole items in the order of ids."""
