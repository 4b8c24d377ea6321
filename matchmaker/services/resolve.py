"""Resolves names in imported records against reference data: regions, chains, categories."""
from __future__ import annotations

from graph import chains as chain_repo
from graph.db import GraphDB

from ..regions import RegionTable
from .chain_names import ChainNames
from .classify import CategoryClassifier


class Resolver:
    """Reference data of one import or request, read once."""

    def __init__(self, db: GraphDB, home_region: str):
        self.home_region = home_region
        self.regions = RegionTable.load()
        self.chains = ChainNames(chain_repo.chain_names(db))
        categories = chain_repo.all_categories(db)
        self.categories = {c["id"]: c for c in categories}
        self.classifier = CategoryClassifier(categories)

    def is_local(self, region_code: str | None) -> bool:
        return bool(region_code) and self.regions.is_within(region_code, self.home_region)

    def category(self, value: str | None, text: str, chain_id: str | None) -> tuple[str | None, bool]:
        """(category id, proposed?) from a given id or free text, else from the item's text."""
        if value and value in self.categories:
            return value, False
        hint = f"{value or ''} {text}"
        return self.classifier.propose(hint, chain_id) or self.classifier.propose(hint), True
