"""Category proximity in the taxonomy graph: same category, sibling, FEEDS neighbour, same chain."""
from __future__ import annotations

from functools import lru_cache

import networkx as nx

from ..services.taxonomy import read_taxonomy
from .categorize import Categorizer

SAME, FEEDS, SIBLING, SAME_CHAIN = 1.0, 0.6, 0.5, 0.2


class CategoryMatcher:
    def __init__(self, categories: list[dict], feeds: list[tuple[str, str]],
                 chains: dict[str, list[str]] | None = None):
        self._segment = {c["id"]: c.get("segment_id") for c in categories}
        self._chain = {c["id"]: c.get("chain_id") for c in categories}
        self._feeds = nx.Graph()
        self._feeds.add_edges_from(feeds)
        self._classifier = Categorizer(categories, chains=chains)

    @classmethod
    @lru_cache(maxsize=1)
    def load(cls) -> "CategoryMatcher":
        taxonomy = read_taxonomy()
        feeds = [(f["source"], f["target"]) for f in taxonomy.feeds]
        chains = {c["id"]: [c["name_zh"], c["name_en"], *c["aliases"]] for c in taxonomy.chains}
        return cls(taxonomy.categories, feeds, chains)

    def infer(self, text: str) -> str | None:
        """The most likely category of a text (the classifier imports use), or None when the evidence is thin."""
        return self._classifier.propose(text)

    def proximity(self, a: str | None, b: str | None) -> float:
        if not a or not b:
            return 0.0
        if a == b:
            return SAME
        if self._feeds.has_edge(a, b):
            return FEEDS
        if self._segment.get(a) and self._segment.get(a) == self._segment.get(b):
            return SIBLING
        if self._chain.get(a) and self._chain.get(a) == self._chain.get(b):
            return SAME_CHAIN
        return 0.0

    def relation(self, a: str | None, b: str | None) -> str:
        """The proximity's name, for explanations."""
        return {SAME: "same", FEEDS: "feeds", SIBLING: "sibling", SAME_CHAIN: "chain"}.get(
            self.proximity(a, b), "none")
