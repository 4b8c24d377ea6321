"""The lexical baseline the issue names: rank_bm25's BM25Okapi over character n-grams."""
from __future__ import annotations

import numpy as np
from rank_bm25 import BM25Okapi

from matchmaker.matching.analysis import normalize

from .datasets import EvalSet

SIZES = {"bigram": 2, "trigram": 3}


def char_ngrams(text: str, n: int) -> list[str]:
    text = normalize(text)
    return [text[i:i + n] for i in range(max(len(text) - n + 1, 1))]


def bm25_baseline(data: EvalSet, grams: str):
    """A function query -> the ids of its 10 best documents."""
    n = SIZES[grams]
    model = BM25Okapi([char_ngrams(d.text, n) for d in data.documents])
    ids = [d.id for d in data.documents]

    def rank(query) -> list[str]:
        scores = model.get_scores(char_ngrams(query.text, n))
        return [ids[i] for i in np.argsort(-scores, kind="stable")[:10]]
    return rank
