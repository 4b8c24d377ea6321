"""The item repository over the graph: graph/items.py, the list index, reference data."""
from __future__ import annotations

from graph import enterprises as enterprise_repo
from graph import item_feed
from graph import items as item_repo
from graph.db import GraphDB
from graph.item_search import ItemQuery

from ..lists import ListIndexes
from ..lists.catalog import search_in_graph
from .resolve import Resolver


class GraphItemRepository:
    """matchmaker.services.item_port.ItemRepository on one graph connection."""

    def __init__(self, db: GraphDB, lists: ListIndexes | None = None) -> None:
        self.db, self.lists = db, lists  # without the app's list index (scripts, CLI), lists come from Cypher

    def propose_categories(self, kind: str, records: list[dict]) -> None:
        from ..matching import category_review  # it reviews through this service: import when used

        category_review.after_write(self.db, kind, records)

    def get(self, kind: str, item_id: str) -> dict | None:
        return item_repo.get(self.db, kind, item_id)

    def history(self, kind: str, item_id: str) -> list[dict]:
        return item_repo.history(self.db, kind, item_id)

    def enterprise_roles(self, ids: list[str]) -> dict[str, dict]:
        return enterprise_repo.roles_of(self.db, ids)

    def reference(self, home_region: str) -> Resolver:
        return Resolver(self.db, home_region)

    def create(self, kind: str, record: dict, now: str, actor: str) -> str | None:
        return item_repo.create_one(self.db, kind, record, now, actor)

    def update(self, kind: str, record: dict, expected_version: int, now: str, actor: str,
               action: str) -> tuple[bool, int | None]:
        return item_repo.update_one(self.db, kind, record, expected_version, now, actor, action)

    def search(self, query: ItemQuery) -> tuple[list[str], int]:
        if self.lists is None:
            return search_in_graph(self.db, query)
        return self.lists.catalog(query.kind).search(query)

    def items_by_ids(self, kind: str, ids: list[str]) -> list[dict]:
        return item_feed.items_by_ids(self.db, kind, ids)
