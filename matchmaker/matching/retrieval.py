"""First stage: candidates from the lexical index and from the vectors, a few hundred per query.

A candidate found by either signal is kept, so a synonym the lexical index
misses or a model code the encoder blurs still reaches the re-ranker.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .lexical import BM25Matrix
from .profile import TextProfile

LEXICAL_CANDIDATES = 200
SEMANTIC_CANDIDATES = 200


@dataclass
class Candidates:
    rows: np.ndarray      # row numbers in the corpus
    lexical: np.ndarray   # BM25 / the query's self score
    semantic: np.ndarray  # cosine


def top_rows(scores: np.ndarray, k: int, allowed: np.ndarray | None = None) -> np.ndarray:
    """Rows of the k best positive scores (among `allowed` rows when given), best first."""
    if allowed is not None:
        scores = np.where(allowed, scores, -np.inf)
    k = min(k, len(scores))
    if k == 0:
        return np.zeros(0, dtype=np.int64)
    part = np.argpartition(-scores, k - 1)[:k]
    part = part[np.isfinite(scores[part])]
    return part[np.argsort(-scores[part], kind="stable")]


def retrieve(query: TextProfile, query_vector: np.ndarray | None, bm25: BM25Matrix,
             vectors: np.ndarray | None, allowed: np.ndarray | None = None,
             k_lexical: int = LEXICAL_CANDIDATES, k_semantic: int = SEMANTIC_CANDIDATES) -> Candidates:
    ids, weights = bm25.query_vector(query.terms)
    lexical = bm25.scores(ids, weights) / bm25.self_score(query.terms, ids, weights)
    rows = top_rows(np.where(lexical > 0, lexical, -np.inf), k_lexical, allowed)
    semantic = np.zeros(bm25.n_docs, dtype=np.float32)
    if vectors is not None and query_vector is not None and len(vectors):
        semantic = (vectors @ query_vector.astype(vectors.dtype)).astype(np.float32)
        rows = np.union1d(rows, top_rows(semantic, k_semantic, allowed))
    return Candidates(rows, lexical[rows], semantic[rows])
