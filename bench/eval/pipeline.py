"""Run the engine's text stages over an evaluation set: profiles, BM25, vectors, candidates, features.

The same code serves training (features with labels) and evaluation (rankings),
so the evaluated engine is exactly the trained one.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from matchmaker.matching.features import CandidateEvidence, feature_matrix
from matchmaker.matching.lexical import BM25Matrix
from matchmaker.matching.profile import TextProfile, profile
from matchmaker.matching.search import Part, search
from matchmaker.matching.taxonomy_match import CategoryMatcher
from matchmaker.matching.vector_index import VectorIndex
from matchmaker.matching.vectors import VectorStore

from .datasets import EvalSet, Query

CACHE = Path(__file__).resolve().parents[1] / "out"


@dataclass
class Prepared:
    data: EvalSet
    doc_profiles: list[TextProfile]
    bm25: BM25Matrix
    doc_vectors: np.ndarray | None
    query_vectors: dict[str, np.ndarray]
    doc_categories: list[str | None]
    categories: CategoryMatcher

    @cached_property
    def part(self) -> Part:
        """The whole set as one in-memory part of the index, as the platform searches it."""
        vectors = None if self.doc_vectors is None else VectorIndex.build(self.doc_vectors)
        return Part({}, np.ones(self.bm25.n_docs, dtype=bool), self.bm25, self.data.name, vectors)


def vector_store(encoder) -> VectorStore:
    """The platform's own vector store, kept under bench/out so runs reuse every vector."""
    return VectorStore(CACHE / f"vectors-{encoder.name.replace('/', '_')}.sqlite3", encoder)


def prepare(data: EvalSet, encoder=None) -> Prepared:
    doc_profiles = [profile(d.text) for d in data.documents]
    bm25 = BM25Matrix.build([p.terms for p in doc_profiles])
    doc_vectors, query_vectors = None, {}
    if encoder is not None:
        store = vector_store(encoder)
        doc_vectors = store.vectors([d.text for d in data.documents]).astype(np.float32)
        vectors = store.vectors([q.text for q in data.queries]).astype(np.float32)
        query_vectors = {q.id: v for q, v in zip(data.queries, vectors)}
    categories = CategoryMatcher.load()
    doc_categories = [categories.infer(p.text) for p in doc_profiles]
    return Prepared(data, doc_profiles, bm25, doc_vectors, query_vectors, doc_categories, categories)


def candidates(prep: Prepared, query: Query) -> tuple[np.ndarray, np.ndarray, TextProfile]:
    """(candidate rows, feature matrix, query profile) of one query."""
    qp = profile(query.text, document=False)
    found = search([prep.part], qp, prep.query_vectors.get(query.id))  # the platform's own candidate step
    rows = np.array([f.row for f in found], dtype=np.int64)
    lexical = np.array([f.lexical for f in found])
    semantic = np.array([f.semantic for f in found])
    q_category = prep.categories.infer(qp.text)
    proximity = np.array([prep.categories.proximity(q_category, prep.doc_categories[r]) for r in rows])
    known = np.array([1.0 if q_category and prep.doc_categories[r] else 0.0 for r in rows])
    evidence = CandidateEvidence(lexical, semantic, [prep.doc_profiles[r] for r in rows],
                                 proximity, known)
    return rows, feature_matrix(qp, evidence), qp
