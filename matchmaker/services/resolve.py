"""Resolves names in imported records against reference data: regions, chains, categories."""
from __future__ import annotations

import unicodedata

from graph import chains as chain_repo
from graph.db import GraphDB

from ..matching.categorize import MIN_CONFIDENCE
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
        named = self.named_categories(value, chain_id)
        if len(named) == 1:
            return named[0]["id"], False
        proposed = self.classifier.propose(f"{value or ''} {text}", chain_id)
        if chain_id and proposed and self.categories[proposed]["chain_id"] != chain_id:
            # The row names its chain: a proposal is sought in that chain only, never elsewhere.
            ranked = self.classifier.rank(f"{value or ''} {text}", chain_id, 1)
            proposed = ranked[0][0] if ranked and ranked[0][1] >= MIN_CONFIDENCE else None
        return proposed, True

    def named_categories(self, value: str | None, chain_id: str | None = None) -> list[dict]:
        """Categories whose Chinese or English name is *value* (in *chain_id* when given)."""
        by_name = self.__dict__.get("_by_name")
        if by_name is None:  # built on first use from self.categories
            by_name = self.__dict__["_by_name"] = {}
            for c in self.categories.values():
                for name in {_key(c.get("name_zh")), _key(c.get("name_en"))} - {""}:
                    by_name.setdefault(name, []).append(c)
        found = by_name.get(_key(value), []) if value else []
        return [c for c in found if chain_id is None or c["chain_id"] == chain_id]

    def chain_conflict(self, value: str | None, chain_id: str | None) -> str | None:
        """The chain of category *value* (an id, or a name found only outside *chain_id*)
        when it is not the row's *chain_id*; None when they agree or either is unknown."""
        if not value or not chain_id:
            return None
        if value in self.categories:
            other = self.categories[value]["chain_id"]
            return other if other != chain_id else None
        named = self.named_categories(value)
        if named and not any(c["chain_id"] == chain_id for c in named):
            return named[0]["chain_id"]
        return None


def _key(name: str | None) -> str:
    return "".join(unicodedata.normalize("NFKC", name or "").split()).casefold()
