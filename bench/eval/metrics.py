"""Ranking metrics over graded judgments (grade 0-3; grade >= 2 counts as relevant)."""
from __future__ import annotations

import math

RELEVANT = 2


def recall_at(ranked: list[str], grades: dict[str, int], k: int = 10) -> float:
    relevant = {d for d, g in grades.items() if g >= RELEVANT}
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranked[:k])) / len(relevant)


def ndcg_at(ranked: list[str], grades: dict[str, int], k: int = 10) -> float:
    gains = [2 ** grades.get(d, 0) - 1 for d in ranked[:k]]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sorted((2 ** g - 1 for g in grades.values()), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def reciprocal_rank(ranked: list[str], grades: dict[str, int]) -> float:
    for position, doc in enumerate(ranked, start=1):
        if grades.get(doc, 0) >= RELEVANT:
            return 1.0 / position
    return 0.0


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0
