"""Candidate retrieval over the shared index: every live segment plus this worker's delta.

BM25's idf uses the document frequencies summed over all parts, so a term is
weighed the same wherever its item lives; each part gives its best lexical and
semantic rows, and the best of those across parts become the candidates. A candidate
found by either signal is kept, so a synonym the lexical index misses or a model code
the encoder blurs still reaches the re-ranker. A large segment's semantic rows come from
its vector index's nearest clusters (vector_index.py); every candidate's cosine is exact.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .inverted import segment_matrix
from .lexical import BM25Matrix, idf, query_counts
from .profile import TextProfile
from .vector_index import VectorIndex, among, segment_vectors, top_k

# 100 + 100 candidates: every eval figure (own, Abt-Buy, Amazon-Google test splits) equals
# 200 + 200's, and so does 60 + 60 (docs/MATCHING.md); the re-ranker's cost is per candidate.
LEXICAL_CANDIDATES = 100
SEMANTIC_CANDIDATES = 100
_delta_indexes: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


@dataclass
class Part:
    """One segment, or the delta, with its live rows, term-major BM25 matrix and vector index."""
    columns: object             # a Segment or the delta's column dict: part["name"] gives a column
    live: np.ndarray
    matrix: BM25Matrix
    key: str                    # which part, for locating a row later
    vectors: VectorIndex | None = None

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


def parts_of(view) -> list[Part]:
    parts = [Part(segment, view.live_mask(i), segment_matrix(segment), segment.name, segment_vectors(segment))
             for i, segment in enumerate(view.segments) if segment.rows]
    delta = view.delta_columns()
    if delta:
        if view not in _delta_indexes:
            vectors = VectorIndex.build(delta["vectors"], clustered=False) if "vectors" in delta else None
            _delta_indexes[view] = (BM25Matrix.from_doc_major(delta["bm25"]), vectors)
        matrix, vectors = _delta_indexes[view]
        columns = {**delta, "id": [r["id"] for r in view.delta_rows()]}
        parts.append(Part(columns, np.ones(matrix.n_docs, dtype=bool), matrix, "delta", vectors))
    return parts


def prepare_segment(segment) -> None:
    """Write a new segment's side files (term-major BM25, vector index) before any query needs them."""
    segment_matrix(segment)
    segment_vectors(segment)


def search(parts: list[Part], query: TextProfile, query_vector: np.ndarray | None,
           allowed: Callable[[Part], np.ndarray] | None = None,
           k_lexical: int = LEXICAL_CANDIDATES, k_semantic: int = SEMANTIC_CANDIDATES) -> list[Found]:
    vectors = None if query_vector is None else np.asarray(query_vector)[None, :]
    return search_many(parts, [query], vectors, allowed, k_lexical, k_semantic)[0]


def search_many(parts: list[Part], queries: list[TextProfile], query_vectors: np.ndarray | None,
                allowed: Callable[[Part], np.ndarray] | None = None,
                k_lexical: int = LEXICAL_CANDIDATES, k_semantic: int = SEMANTIC_CANDIDATES) -> list[list[Found]]:
    """Each query's candidates, as `search` finds them; the queries share each part's cluster scans."""
    if not parts:
        return [[] for _ in queries]
    query_vectors = None if query_vectors is None else np.asarray(query_vectors, dtype=np.float32)
    lexical_queries = [_global_query(parts, q) for q in queries]
    self_scores = [parts[0].matrix.self_score(q.terms, *lexical) for q, lexical in zip(queries, lexical_queries)]
    per_part: list[list[tuple]] = [[] for _ in queries]
    best_lexical = [np.zeros(0, dtype=np.float32) for _ in queries]
    for part in parts:
        mask = part.live if allowed is None else part.live & allowed(part)
        near = _nearest(part, query_vectors, k_semantic, mask)
        for i, (ids, weights) in enumerate(lexical_queries):
            floor = best_lexical[i][k_lexical - 1] if len(best_lexical[i]) >= k_lexical else 0.0
            rows, lexical = top_k(*part.matrix.top(ids, weights, k_lexical, mask, floor), k_lexical)
            best_lexical[i] = np.sort(np.concatenate([best_lexical[i], lexical]))[::-1][:k_lexical]
            rows, semantic = _with_semantic(part, None if near is None else query_vectors[i], rows,
                                            None if near is None else near[i])
            new = rows[len(lexical):]  # the semantic candidates the lexical ones missed: scored only now
            lexical = np.concatenate([lexical, part.matrix.scores_at(ids, weights, new)]) if len(new) else lexical
            per_part[i].append((rows, lexical / self_scores[i], semantic))
    return [_best(parts, found, k_lexical, k_semantic) for found in per_part]


def _nearest(part: Part, query_vectors: np.ndarray | None, k: int, mask: np.ndarray) -> list | None:
    """Each query's (rows, cosines) of the part's k nearest allowed rows; None without vectors."""
    if query_vectors is None or part.vectors is None:
        return None
    return part.vectors.nearest_many(query_vectors, k, mask)


def _with_semantic(part: Part, query_vector: np.ndarray | None, lexical_rows: np.ndarray,
                   near: tuple[np.ndarray, np.ndarray] | None) -> tuple[np.ndarray, np.ndarray]:
    """The lexical rows, then those of the `near` rows not among them, with every row's exact cosine
    (0 without vectors)."""
    if near is None:
        return lexical_rows, np.zeros(len(lexical_rows), dtype=np.float32)
    rows, cosines = near
    new = ~among(rows, lexical_rows)
    return (np.concatenate([lexical_rows, rows[new]]),
            np.concatenate([part.vectors.scores_of(query_vector, lexical_rows), cosines[new]]))


def _global_query(parts: list[Part], query: TextProfile) -> tuple[np.ndarray, np.ndarray]:
    """The query's term ids and weights with idf over every part together."""
    ids, counts = query_counts(query.terms)
    doc_freq = sum(p.matrix.doc_freq_of(ids) for p in parts)
    return ids, counts * idf(doc_freq, sum(p.matrix.n_docs for p in parts))


def _best(parts: list[Part], per_part: list[tuple], k_lexical: int, k_semantic: int) -> list[Found]:
    """The k_lexical best rows by lexical score, then the k_semantic best by cosine not among them."""
    where = np.concatenate([np.full(len(rows), i) for i, (rows, _, _) in enumerate(per_part)])
    rows, lexical, semantic = (np.concatenate([p[j] for p in per_part]) for j in range(3))
    by_lexical = np.argsort(-lexical, kind="stable")[:k_lexical]
    by_semantic = np.argsort(-semantic, kind="stable")[:k_semantic]
    chosen = np.concatenate([by_lexical, by_semantic[~among(by_semantic, by_lexical)]])
    return [Found(parts[where[i]], int(rows[i]), float(lexical[i]), float(semantic[i])) for i in chosen]
