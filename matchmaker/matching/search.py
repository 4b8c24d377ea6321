"""Candidate retrieval over the shared index: every live segment plus this worker's delta.

BM25's idf uses the document frequencies summed over all parts, so a term is
weighed the same wherever its item lives; each part gives its best lexical and
semantic rows, and the best of those across parts become the candidates. A candidate
found by either signal is kept, so a synonym the lexical index misses or a model code
the encoder blurs still reaches the re-ranker.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .inverted import segment_matrix, term_major
from .lexical import BM25Matrix, idf, query_counts
from .profile import TextProfile

# 100 + 100 candidates: every eval figure (own, Abt-Buy, Amazon-Google test splits) equals
# 200 + 200's, and so does 60 + 60 (docs/MATCHING.md); the re-ranker's cost is per candidate.
LEXICAL_CANDIDATES = 100
SEMANTIC_CANDIDATES = 100
_CHUNK = 65_536
_delta_matrices: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


@dataclass
class Part:
    """One segment, or the delta, with its live rows and term-major BM25 matrix."""
    columns: object             # a Segment or the delta's column dict: part["name"] gives a column
    live: np.ndarray
    matrix: BM25Matrix
    key: str                    # which part, for locating a row later

    def __getitem__(self, name: str):
        return self.columns[name]

    def has(self, name: str) -> bool:
        return name in self.columns


@dataclass
class Found:
    part: Part
    row: int
    lexical: float
    semantic: float


def top_rows(scores: np.ndarray, k: int, allowed: np.ndarray | None = None) -> np.ndarray:
    """Rows of the k best finite scores (among `allowed` rows when given), best first."""
    if allowed is not None:
        scores = np.where(allowed, scores, -np.inf)
    k = min(k, len(scores))
    if k == 0:
        return np.zeros(0, dtype=np.int64)
    part = np.argpartition(-scores, k - 1)[:k]
    part = part[np.isfinite(scores[part])]
    return part[np.argsort(-scores[part], kind="stable")]


def parts_of(view) -> list[Part]:
    parts = [Part(segment, view.live_mask(i), segment_matrix(segment), segment.name)
             for i, segment in enumerate(view.segments) if segment.rows]
    delta = view.delta_columns()
    if delta:
        if view not in _delta_matrices:
            _delta_matrices[view] = term_major(delta["bm25"])
        matrix = _delta_matrices[view]
        columns = {**delta, "id": [r["id"] for r in view.delta_rows()]}
        parts.append(Part(columns, np.ones(matrix.n_docs, dtype=bool), matrix, "delta"))
    return parts


def search(parts: list[Part], query: TextProfile, query_vector: np.ndarray | None,
           allowed: Callable[[Part], np.ndarray] | None = None,
           k_lexical: int = LEXICAL_CANDIDATES, k_semantic: int = SEMANTIC_CANDIDATES) -> list[Found]:
    if not parts:
        return []
    ids, weights = _global_query(parts, query)
    self_score = parts[0].matrix.self_score(query.terms, ids, weights)
    found: list[Found] = []
    for part in parts:
        mask = part.live if allowed is None else part.live & allowed(part)
        lexical = part.matrix.scores(ids, weights) / self_score
        semantic = _cosines(part, query_vector)
        rows = top_rows(np.where(lexical > 0, lexical, -np.inf), k_lexical, mask)
        if semantic is not None:
            rows = np.union1d(rows, top_rows(semantic, k_semantic, mask))
        found.extend(Found(part, int(r), float(lexical[r]), float(semantic[r]) if semantic is not None else 0.0)
                     for r in rows)
    return _best(found, k_lexical, k_semantic)


def _global_query(parts: list[Part], query: TextProfile) -> tuple[np.ndarray, np.ndarray]:
    """The query's term ids and weights with idf over every part together."""
    ids, counts = query_counts(query.terms)
    doc_freq = sum(p.matrix.doc_freq_of(ids) for p in parts)
    return ids, counts * idf(doc_freq, sum(p.matrix.n_docs for p in parts))


def _cosines(part: Part, query_vector: np.ndarray | None) -> np.ndarray | None:
    if query_vector is None or not part.has("vectors"):
        return None
    vectors = part["vectors"]
    q = query_vector.astype(np.float32)
    out = np.empty(len(vectors), dtype=np.float32)
    for start in range(0, len(vectors), _CHUNK):
        out[start:start + _CHUNK] = np.asarray(vectors[start:start + _CHUNK], dtype=np.float32) @ q
    return out


def _best(found: list[Found], k_lexical: int, k_semantic: int) -> list[Found]:
    by_lexical = sorted(found, key=lambda f: -f.lexical)[:k_lexical]
    by_semantic = sorted(found, key=lambda f: -f.semantic)[:k_semantic]
    unique = {(f.part.key, f.row): f for f in [*by_lexical, *by_semantic]}
    return list(unique.values())
