"""BM25 over hashed lexical terms, precomputed into a sparse matrix (the bm25s layout).

Each document's BM25 term weights are computed once at build time into a
terms x documents CSR matrix; a query is then a weighted sum of the rows of
its terms, a sparse operation with no Python loop over documents. The top k
of a large matrix skips the postings that cannot change it (`top`, MaxScore,
bm25_kernels.py). Terms are hashed (crc32) into a fixed space so that segments
built by different processes agree without sharing a vocabulary.
"""
from __future__ import annotations

import zlib
from collections import Counter
from typing import Iterable, Sequence

import numpy as np
from scipy import sparse

from . import bm25_kernels

BUCKETS = 1 << 22
K1, B = 1.2, 0.75
# Postings read whole before MaxScore first asks whether the rest can be skipped: below it a query
# reads everything (a small segment, the eval sets), and the check costs more than it saves.
POSTINGS_BEFORE_PRUNING = 20_000


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

    def __init__(self, weights: sparse.csr_matrix, term_keys: np.ndarray, n_docs: int, by_doc: sparse.csr_matrix,
                 term_max: np.ndarray | None = None, doc_max: np.ndarray | None = None):
        self.weights = weights          # (terms present, n_docs): the tf part of BM25, no idf
        self.term_keys = term_keys      # sorted bucket ids of the terms present, one per weights row
        self.by_doc = by_doc            # the same weights documents-first, (n_docs, BUCKETS), columns sorted
        self.doc_freq = np.diff(weights.indptr).astype(np.int64)
        self.n_docs = n_docs
        self._term_max, self._doc_max = term_max, doc_max  # computed on first use when not given

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
        by_doc = sparse.csr_matrix((np.array(vals, dtype=np.float32), (cols, rows)), shape=(len(documents), BUCKETS))
        return cls.from_doc_major(by_doc)

    @classmethod
    def from_doc_major(cls, by_doc: sparse.csr_matrix) -> "BM25Matrix":
        """From the documents-first weights (a segment's `bm25` column): the terms-first copy beside them."""
        by_doc.sort_indices()
        coo = by_doc.tocoo()
        term_keys, compact = np.unique(coo.col.astype(np.int64), return_inverse=True)
        weights = sparse.csr_matrix((coo.data.astype(np.float32), (compact, coo.row)),
                                    shape=(len(term_keys), by_doc.shape[0]))
        return cls(weights, term_keys, by_doc.shape[0], by_doc)

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

    def top(self, ids: np.ndarray, weights: np.ndarray, k: int, allowed: np.ndarray,
            floor: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
        """(rows, scores) of every allowed document that can be among the k best positive scores and
        reaches `floor`, unordered: the documents and scores the dense `scores` would rank first."""
        terms, weights = self._present(ids, weights)
        if not len(terms) or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        rarest = np.argsort(self.doc_freq[terms], kind="stable")
        terms, weights = terms[rarest], weights[rarest]
        keys, key_weights = self._by_key(terms, weights)
        w, d = self.weights, self.by_doc
        arrays = _read_only(w.indptr, w.indices, w.data, terms, weights, _suffix_sums(weights * self.term_max[terms]),
                            _suffix_sums(weights), d.indptr, d.indices, d.data, self.doc_max, keys, key_weights,
                            np.ascontiguousarray(allowed, dtype=bool))
        return bm25_kernels.top_candidates(*arrays[:7], tuple(arrays[7:10]), *arrays[10:], k, POSTINGS_BEFORE_PRUNING,
                                           np.float32(floor))

    def scores_at(self, ids: np.ndarray, weights: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """The scores of a few documents, without scoring the others."""
        keys, key_weights = self._by_key(*self._present(ids, weights))
        d = self.by_doc
        return bm25_kernels.full_scores(*_read_only(d.indptr, d.indices, d.data, keys, key_weights,
                                                    np.asarray(rows, dtype=np.int64)))

    def _present(self, ids: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The matrix rows of the ids it holds, and their weights as float32 (the kernels' type)."""
        positions, present = self.rows_of(ids)
        return positions[present].astype(np.int64), np.asarray(weights, dtype=np.float32)[present]

    def _by_key(self, terms: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The terms' bucket ids in ascending order (as a document's row holds them), with their weights."""
        keys = self.term_keys[terms]
        order = np.argsort(keys)
        return keys[order].astype(np.int32), weights[order]

    @property
    def doc_max(self) -> np.ndarray:
        """Each document's largest term weight: a bound, per document, on what any one term adds."""
        if self._doc_max is None:
            self._doc_max = _row_max(self.by_doc)
        return self._doc_max

    @property
    def term_max(self) -> np.ndarray:
        """Each term's largest weight in any document: MaxScore's bound of what the term can add."""
        if self._term_max is None:
            self._term_max = _row_max(self.weights)
        return self._term_max

    def self_score(self, terms: list[str], ids: np.ndarray, weights: np.ndarray) -> float:
        """The score the query would give a document equal to itself: scales scores to 0..1-ish."""
        counts = Counter(term_ids(terms))
        norm = K1  # a document of average length
        own = np.array([counts[int(t)] * (K1 + 1) / (counts[int(t)] + norm) for t in ids])
        return float(own @ weights) or 1.0


def warm_kernels() -> None:
    """Compile the kernels, or load them from numba's cache, before a request needs them."""
    matrix = BM25Matrix.build([["warm", "up"], ["up"]])
    ids, counts = query_counts(["up"])
    matrix.top(ids, counts, 1, np.ones(2, dtype=bool))
    matrix.scores_at(ids, counts, np.array([0]))


def _read_only(*arrays: np.ndarray) -> list[np.ndarray]:
    """Read-only views: numba compiles once per array type, and mapped segments are read-only, so
    the delta's in-memory arrays are passed as read-only too (one compiled kernel, not two)."""
    views = []
    for array in arrays:
        view = np.asarray(array).view()
        view.flags.writeable = False
        views.append(view)
    return views


def _row_max(matrix: sparse.csr_matrix) -> np.ndarray:
    """The largest value of each row (0 for an empty one), float32."""
    out = np.zeros(matrix.shape[0], dtype=np.float32)
    filled = np.flatnonzero(np.diff(matrix.indptr))  # reduceat misreads an empty row
    if len(filled):
        out[filled] = np.maximum.reduceat(matrix.data, matrix.indptr[filled])
    return out


def _suffix_sums(values: np.ndarray) -> np.ndarray:
    """out[i] = values[i:].sum(), with a final 0 (length len(values) + 1), float32."""
    return np.concatenate([np.cumsum(values[::-1])[::-1], [0.0]]).astype(np.float32)
