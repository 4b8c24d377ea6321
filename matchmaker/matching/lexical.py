"""BM25 over hashed lexical terms, precomputed into a sparse matrix (the bm25s layout).

Each document's BM25 term weights are computed once at build time into a
terms x documents CSR matrix; a query is then a weighted sum of the rows of
its terms, a sparse operation with no Python loop over documents. Terms are
hashed (crc32) into a fixed space so that segments built by different
processes agree without sharing a vocabulary.
"""
from __future__ import annotations

import zlib
from collections import Counter
from typing import Iterable, Sequence

import numpy as np
from scipy import sparse

BUCKETS = 1 << 22
K1, B = 1.2, 0.75


def term_ids(terms: Iterable[str]) -> list[int]:
    return [zlib.crc32(t.encode("utf-8")) & (BUCKETS - 1) for t in terms]


def query_counts(terms: list[str], boosts: dict[str, float] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(distinct term bucket ids, how often each occurs in the query, times its boost)."""
    counts: Counter[int] = Counter()
    for term, tid in zip(terms, term_ids(terms)):
        counts[tid] += (boosts or {}).get(term, 1.0)
    ids = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
    return ids, np.fromiter(counts.values(), dtype=np.float64, count=len(counts))


def idf(doc_freq: np.ndarray, n_docs: int) -> np.ndarray:
    df = np.asarray(doc_freq, dtype=np.float64)
    return np.log1p((n_docs - df + 0.5) / (df + 0.5))


class BM25Matrix:
    """BM25 weights of a fixed set of documents; `scores(query_terms)` gives one score per document."""

    def __init__(self, weights: sparse.csr_matrix, term_keys: np.ndarray, n_docs: int):
        self.weights = weights          # (terms present, n_docs): the tf part of BM25, no idf
        self.term_keys = term_keys      # sorted bucket ids of the terms present, one per weights row
        self.doc_freq = np.diff(weights.indptr).astype(np.int64)
        self.n_docs = n_docs

    @classmethod
    def build(cls, documents: Sequence[list[str]]) -> "BM25Matrix":
        rows, cols, vals = [], [], []
        lengths = np.array([len(d) for d in documents], dtype=np.float64)
        avgdl = float(lengths.mean()) if len(documents) and lengths.mean() > 0 else 1.0
        for doc, terms in enumerate(documents):
            counts = Counter(term_ids(terms))
            norm = K1 * (1 - B + B * lengths[doc] / avgdl)
            for term, tf in counts.items():
                rows.append(term)
                cols.append(doc)
                vals.append(tf * (K1 + 1) / (tf + norm))
        term_keys, compact = np.unique(np.array(rows, dtype=np.int64), return_inverse=True)
        weights = sparse.csr_matrix((np.array(vals, dtype=np.float32), (compact, cols)),
                                    shape=(len(term_keys), len(documents)))
        return cls(weights, term_keys, len(documents))

    def rows_of(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(weights rows, mask of the ids present) of term bucket ids."""
        positions = np.searchsorted(self.term_keys, ids)
        positions = np.minimum(positions, max(len(self.term_keys) - 1, 0))
        present = (self.term_keys[positions] == ids) if len(self.term_keys) else np.zeros(len(ids), bool)
        return positions, present

    def doc_freq_of(self, ids: np.ndarray) -> np.ndarray:
        positions, present = self.rows_of(ids)
        return np.where(present, self.doc_freq[positions] if len(self.doc_freq) else 0, 0)

    def query_vector(self, terms: list[str], boosts: dict[str, float] | None = None,
                     doc_freq: np.ndarray | None = None, n_docs: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(term bucket ids, weights): idf times the query's own term count, times an optional boost.

        `doc_freq` (aligned with the ids of `query_counts`) and `n_docs` are the global
        counts when this matrix is one part of several."""
        ids, counts = query_counts(terms, boosts)
        df = self.doc_freq_of(ids) if doc_freq is None else doc_freq
        return ids, counts * idf(df, self.n_docs if n_docs is None else n_docs)

    def scores(self, ids: np.ndarray, weights: np.ndarray) -> np.ndarray:
        positions, present = self.rows_of(ids)
        if not present.any():
            return np.zeros(self.n_docs, dtype=np.float32)
        rows = self.weights[positions[present]]
        return np.asarray(rows.T @ weights[present].astype(np.float32)).ravel()

    def self_score(self, terms: list[str], ids: np.ndarray, weights: np.ndarray) -> float:
        """The score the query would give a document equal to itself: scales scores to 0..1-ish."""
        counts = Counter(term_ids(terms))
        norm = K1  # a document of average length
        own = np.array([counts[int(t)] * (K1 + 1) / (counts[int(t)] + norm) for t in ids])
        return float(own @ weights) or 1.0
