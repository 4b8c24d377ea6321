"""The nearest vectors of a segment without reading all of them: an inverted-file (IVF) index.

A large segment's vectors are clustered (spherical k-means, seeded, so any process that builds
it gets the same clusters) and kept beside the segment as float32 in cluster order: a query
scores the centroids, then only the rows of its nearest clusters, each a contiguous block for
one BLAS product. Why float32 and not the segment's float16: numpy converts float16 at about
a nanosecond an element, which made the exact scan of 600,000 vectors cost a second a query.

A segment under `IVF_MIN_ROWS` rows is one cluster, so its search is exact (the eval sets,
the small segments of recent changes). The candidates' own scores are always exact: only
which rows become semantic candidates is approximate. docs/MATCHING.md has the recall
measured against the exact scan.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .sidecar import side_arrays

IVF_MIN_ROWS = 20_000
# Share of a segment's clusters a query scans, and the fewest rows it scans (docs/MATCHING.md).
PROBE_SHARE = 0.06
MIN_PROBE_ROWS = 4_000
KMEANS_ROUNDS = 12
KMEANS_SAMPLE_PER_CLUSTER = 48
_CHUNK = 16_384
ARRAYS = ("centroids", "offsets", "order", "position", "vectors")


@dataclass(frozen=True)
class VectorIndex:
    centroids: np.ndarray   # (clusters, dim) float32
    offsets: np.ndarray     # (clusters + 1,) int64: cluster c holds positions offsets[c]:offsets[c + 1]
    order: np.ndarray       # (rows,) int32: the segment row at each position
    position: np.ndarray    # (rows,) int32: the position of each segment row
    vectors: np.ndarray     # (rows, dim) float32, in position order

    @classmethod
    def build(cls, vectors, seed: int = 0, clustered: bool = True) -> "VectorIndex":
        """Cluster `vectors` (rows x dim, any float dtype, e.g. a mapped float16 column); with
        `clustered=False` (a worker's delta, rebuilt whenever it changes) one cluster: exact."""
        rows = len(vectors)
        exact = np.empty((rows, vectors.shape[1] if rows else 0), dtype=np.float32)
        for start in range(0, rows, _CHUNK):
            exact[start:start + _CHUNK] = vectors[start:start + _CHUNK]
        clusters = 1 if rows < IVF_MIN_ROWS or not clustered else round(math.sqrt(rows))
        if clusters == 1:
            labels, centroids = np.zeros(rows, dtype=np.int64), _unit(exact.sum(axis=0, keepdims=True))
        else:
            centroids = spherical_kmeans(exact, clusters, np.random.default_rng(seed))
            labels = nearest_centroid(exact, centroids)
        order = np.argsort(labels, kind="stable")
        position = np.empty(rows, dtype=np.int32)
        position[order] = np.arange(rows, dtype=np.int32)
        offsets = np.concatenate([[0], np.cumsum(np.bincount(labels, minlength=len(centroids)))]).astype(np.int64)
        return cls(centroids.astype(np.float32), offsets, order.astype(np.int32), position, exact[order])

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> "VectorIndex":
        return cls(*(arrays[name] for name in ARRAYS))

    def arrays(self) -> dict[str, np.ndarray]:
        return {name: getattr(self, name) for name in ARRAYS}

    @property
    def rows(self) -> int:
        return len(self.order)

    def scores_of(self, query: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Exact cosines of the given segment rows."""
        positions = self.position[np.asarray(rows, dtype=np.int64)]
        return self.vectors[positions] @ query if len(positions) else np.zeros(0, dtype=np.float32)

    def nearest(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(rows, cosines) of the k best rows among the probed clusters' `allowed` rows, best first.

        When fewer rows are allowed than a probe would scan (a filter such as local-only on a
        large segment), those rows are scanned exactly instead."""
        query = np.asarray(query, dtype=np.float32)
        budget = self._probe_rows()
        if allowed is not None and np.count_nonzero(allowed) <= budget:
            rows = np.flatnonzero(allowed)
            return top_k(rows, self.scores_of(query, rows), k)
        positions, scores = self._scan(query, self._probe(query, budget))
        rows = self.order[positions].astype(np.int64)
        if allowed is not None:
            keep = allowed[rows]
            rows, scores = rows[keep], scores[keep]
        return top_k(rows, scores, k)

    def _probe_rows(self) -> int:
        return max(MIN_PROBE_ROWS, math.ceil(PROBE_SHARE * self.rows))

    def _probe(self, query: np.ndarray, budget: int) -> np.ndarray:
        """The clusters nearest the query, nearest first, until they hold `budget` rows."""
        if len(self.centroids) == 1:
            return np.zeros(1, dtype=np.int64)
        ranked = np.argsort(-(self.centroids @ query), kind="stable")
        sizes = np.diff(self.offsets)[ranked]
        enough = int(np.searchsorted(np.cumsum(sizes), budget)) + 1
        return np.sort(ranked[:enough])  # in storage order: the scan reads forward

    def _scan(self, query: np.ndarray, clusters: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        spans = [(int(self.offsets[c]), int(self.offsets[c + 1])) for c in clusters]
        spans = [(s, e) for s, e in spans if e > s]
        if not spans:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        positions = np.concatenate([np.arange(s, e) for s, e in spans])
        return positions, np.concatenate([self.vectors[s:e] @ query for s, e in spans])


def segment_vectors(segment) -> VectorIndex | None:
    """The vector index of a mapped segment (a side file, sidecar.py); None if it holds no vectors."""
    if "vectors" not in segment:
        return None
    return side_arrays(segment.path, "vectors_ivf", lambda: VectorIndex.build(segment["vectors"]).arrays(),
                       VectorIndex.from_arrays)


def spherical_kmeans(vectors: np.ndarray, clusters: int, rng: np.random.Generator) -> np.ndarray:
    """Unit centroids of `clusters` groups of `vectors` by cosine, trained on a sample."""
    sample = vectors[np.sort(rng.choice(len(vectors), min(len(vectors), clusters * KMEANS_SAMPLE_PER_CLUSTER),
                                        replace=False))]
    centroids = _unit(sample[rng.choice(len(sample), clusters, replace=False)].copy())
    for _ in range(KMEANS_ROUNDS):
        labels = nearest_centroid(sample, centroids)
        members = sparse.csr_matrix((np.ones(len(labels), dtype=np.float32), (labels, np.arange(len(labels)))),
                                    shape=(clusters, len(sample)))
        sums = np.asarray(members @ sample)
        empty = np.flatnonzero(np.bincount(labels, minlength=clusters) == 0)
        sums[empty] = sample[rng.choice(len(sample), len(empty), replace=False)]  # restart empty clusters
        centroids = _unit(sums)
    return centroids


def nearest_centroid(vectors: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    labels = np.empty(len(vectors), dtype=np.int64)
    for start in range(0, len(vectors), _CHUNK):
        labels[start:start + _CHUNK] = np.argmax(vectors[start:start + _CHUNK] @ centroids.T, axis=1)
    return labels


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0)


def top_k(rows: np.ndarray, scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(rows, scores) of the k best scores, best first, equal scores by row: the one top-k of the search."""
    if k <= 0:
        return rows[:0], scores[:0]
    if len(rows) > k:
        keep = np.argpartition(-scores, k - 1)[:k]
        rows, scores = rows[keep], scores[keep]
    order = np.lexsort((rows, -scores))
    return rows[order], scores[order]
