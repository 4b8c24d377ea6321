"""Propose taxonomy categories for an item text: the public face of matchmaker.matching.categorize.

`CategoryClassifier(categories)` keeps the first version's API (`rank`, `propose`) for its
callers (the resolver of imports and item writes, the matching engine's category evidence);
`suggest` gives the top three with confidences, as stored for the officials' review.
"""
from __future__ import annotations

from ..matching.categorize import MIN_CONFIDENCE, Categorizer, Proposal

TOP = 3


class CategoryClassifier:
    def __init__(self, categories: list[dict], examples: dict[str, list[str]] | None = None,
                 chains: dict[str, list[str]] | None = None):
        self._model = Categorizer(categories, examples=examples, chains=chains)

    def rank(self, text: str, chain_id: str | None = None, limit: int = 5) -> list[tuple[str, float]]:
        """(category id, confidence) pairs, best first; restricted to `chain_id` when given."""
        return [(p.category_id, p.confidence) for p in self._model.rank(text, chain_id, limit)]

    def suggest(self, text: str, chain_id: str | None = None) -> list[Proposal]:
        """The top three of all categories, those of the item's chain (when known) favoured."""
        return self._model.rank(text, None, TOP, prefer_chain=chain_id)

    def propose(self, text: str, chain_id: str | None = None) -> str | None:
        """The best category when its confidence is convincing, else None."""
        best = self.suggest(text, chain_id)[:1]
        return best[0].category_id if best and best[0].confidence >= MIN_CONFIDENCE else None
