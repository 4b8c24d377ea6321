"""Resolves names in imported records against reference data: regions, chains, categories."""
from __future__ import annotations

from graph import chains as chain_repo
from graph.db import GraphDB

from ..matching.category_model import classifier_for
from ..regions import RegionTable
from .chain_names import ChainNames


class Resolver:
    """Reference data of one import or request, read once."""

    def __init__(self, db: GraphDB, home_region: str):
        self.home_region = home_region
        self.regions = RegionTable.load()
        chains = chain_repo.chain_names(db)
        self.chains = ChainNames(chains)
        categories = chain_repo.all_categories(db)
        self.categories = {c["id"]: c for c in categories}
        self.classifier = classifier_for(db, categories, chains)

    def is_local(self, region_code: str | None) -> bool:
        return bool(region_code) and self.regions.is_within(region_code, self.home_region)

    def category(self, value: str | None, text: str, chain_id: str | None) -> tuple[str | None, bool]:
        """(category id, proposed?) from a given id or free text, else from the item's text."""
        if value and value in self.categories:
            return value, False
        return self.classifier.propose(f"{value or ''} {text}", chain_id), True
