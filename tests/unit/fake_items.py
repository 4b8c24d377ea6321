"""An in-memory item repository (matchmaker.services.item_port.ItemRepository) for unit tests."""
from __future__ import annotations

from typing import Callable

from matchmaker.regions import RegionTable
from matchmaker.services.chain_names import ChainNames
from matchmaker.services.classify import CategoryClassifier
from matchmaker.services.resolve import Resolver

CHAINS = [{"id": "nev", "name_zh": "新能源汽车", "name_en": "New energy vehicles"}]
CATEGORIES = [{"id": "nev.gears", "name_zh": "齿轮", "name_en": "Gears", "keywords": ["齿轮", "gear"],
               "chain_id": "nev", "segment_id": "nev.midstream", "stage": "midstream"}]


class FakeReference(Resolver):
    """The real resolver's rules over fixed chains and categories (no graph)."""

    def __init__(self, home_region: str) -> None:  # noqa: super().__init__ reads the graph
        self.home_region = home_region
        self.regions = RegionTable.load()
        self.chains = ChainNames(CHAINS)
        self.categories = {c["id"]: c for c in CATEGORIES}
        self.classifier = CategoryClassifier(CATEGORIES)


class FakeItemRepository:
    def __init__(self, enterprises: dict[str, dict]) -> None:
        self.enterprises = enterprises           # id -> {role, local, tier, name}
        self.items: dict[tuple[str, str], dict] = {}
        self.revisions: list[dict] = []
        self.before_write: Callable[[], None] | None = None   # runs inside update(), before the compare

    def get(self, kind: str, item_id: str) -> dict | None:
        item = self.items.get((kind, item_id))
        return dict(item) if item else None

    def history(self, kind: str, item_id: str) -> list[dict]:
        return [r for r in reversed(self.revisions) if r["item_id"] == item_id]

    def enterprise_roles(self, ids: list[str]) -> dict[str, dict]:
        return {i: self.enterprises[i] for i in ids if i in self.enterprises}

    def reference(self, home_region: str) -> FakeReference:
        return FakeReference(home_region)

    def create(self, kind: str, record: dict, now: str, actor: str) -> str | None:
        if (kind, record["id"]) in self.items:
            return self.items[kind, record["id"]]["enterprise_id"]
        self._store(kind, record, now, 1)
        self.revisions.append({"item_id": record["id"], "actor": actor, "action": "create"})
        return None

    def update(self, kind: str, record: dict, expected_version: int, now: str, actor: str,
               action: str) -> tuple[bool, int | None]:
        if self.before_write:
            self.before_write()
        current = self.items.get((kind, record["id"]))
        if current is None or current["version"] != expected_version:
            return False, current and current["version"]
        self._store(kind, record, now, expected_version + 1)
        self.revisions.append({"item_id": record["id"], "actor": actor, "action": action})
        return True, expected_version + 1

    def search(self, query) -> tuple[list[str], int]:
        ids = [item_id for (kind, item_id), item in sorted(self.items.items())
               if kind == query.kind and item["status"] in query.filters.get("statuses", [item["status"]])
               and query.filters.get("enterprise_id", item["enterprise_id"]) == item["enterprise_id"]]
        return ids[query.skip:query.skip + query.limit], len(ids)

    def propose_categories(self, kind: str, records: list[dict]) -> None:
        self.proposed = [*getattr(self, "proposed", []), *(r["id"] for r in records)]

    def items_by_ids(self, kind: str, ids: list[str]) -> list[dict]:
        return [dict(self.items[kind, i]) for i in ids]

    def _store(self, kind: str, record: dict, now: str, version: int) -> None:
        firm = self.enterprises[record["enterprise_id"]]
        self.items[kind, record["id"]] = {**record["props"], "id": record["id"], "version": version,
                                          "enterprise_id": record["enterprise_id"], "local": firm["local"],
                                          "tier": firm["tier"], "enterprise_name": firm["name"], "updated_at": now}
