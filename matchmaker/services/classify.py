"""Propose a taxonomy category for an item from its text (first version).

Each category is a bag of tokens from its names and keywords, weighted by
inverse category frequency so that a token shared by many categories counts
little. An item's score for a category is the weighted overlap.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict

from .text import tokens

MIN_SCORE = 1.0


class CategoryClassifier:
    def __init__(self, categories: list[dict]):
        self._chain_of = {c["id"]: c.get("chain_id") for c in categories}
        profiles = {c["id"]: set(tokens(_profile_text(c))) for c in categories}
        frequency = Counter(t for toks in profiles.values() for t in toks)
        n = max(len(profiles), 1)
        self._postings: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for category_id, toks in profiles.items():
            for token in toks:
                self._postings[token].append((category_id, math.log(1 + n / frequency[token])))

    def rank(self, text: str, chain_id: str | None = None, limit: int = 5) -> list[tuple[str, float]]:
        """Categories by score, best first; restricted to `chain_id` when given."""
        scores: dict[str, float] = defaultdict(float)
        for token in set(tokens(text)):
            for category_id, weight in self._postings.get(token, ()):
                if chain_id is None or self._chain_of[category_id] == chain_id:
                    scores[category_id] += weight
        return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]

    def propose(self, text: str, chain_id: str | None = None) -> str | None:
        """The best category when its score is convincing, else None."""
        ranked = self.rank(text, chain_id, limit=1)
        if ranked and ranked[0][1] >= MIN_SCORE:
            return ranked[0][0]
        return None


def _profile_text(category: dict) -> str:
    return " ".join([category.get("name_zh") or "", category.get("name_en") or "",
                     *(category.get("keywords") or [])])
