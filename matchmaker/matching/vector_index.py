"""The nearest vectors of a segment without reading all of them: an inverted-file (IVF) index.

A large segment's vectors are clustered (spherical k-means, seeded, so any process that builds
it gets the same clusters) and kept beside the segment as float32 in cluster order: a query
scores the centroids, then only the rows of its nearest clusters, each a contiguous block for
one BLAS product. Why float32 and not the segment's float16: numpy converts float16 at about
a nanosecond an element, which made the exact scan of 600,000 vectors cost a second a query.

The probed clusters are scanned in a `LOW_DIMS`-dimensional projection (the sample's top
right singular vectors, uncentred, so dot products keep most of their energy): a quarter of
a scan's memory traffic, which is what the scan costs. The `RESCORE` times k best of that
scan are then scored exactly, and those exact cosines choose the k.

A segment under `IVF_MIN_ROWS` rows is one cluster with no projection, so its search is exact
(the eval sets, the small segments of recent changes). The candidates' own scores are always
exact: only which rows become semantic candidates is approximate. docs/MATCHING.md has the
recall measured against the exact scan.
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
LOW_DIMS = 128       # the scan's projection (docs/MATCHING.md: recall against the full dimensions)
RESCORE = 4          # rows scored exactly per semantic candidate wanted
PROJECTION_SAMPLE = 20_000
KMEANS_ROUNDS = 12
KMEANS_SAMPLE_PER_CLUSTER = 48
_CHUNK = 16_384
ARRAYS = ("centroids", "offsets", "order", "position", "vectors", "projection", "low")


@dataclass(frozen=True)
class VectorIndex:
    centroids: np.ndarray   # (clusters, dim) float32
    offsets: np.ndarray     # (clusters + 1,) int64: cluster c holds positions offsets[c]:offsets[c + 1]
    order: np.ndarray       # (rows,) int32: the segment row at each position
    position: np.ndarray    # (rows,) int32: the position of each segment row
    vectors: np.ndarray     # (rows, dim) float32, in position order
    projection: np.ndarray  # (dim, LOW_DIMS) float32; (dim, 0) when the index is one cluster (exact)
    low: np.ndarray         # (rows, LOW_DIMS) float32: the vectors projected, in position order

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
        exact = exact[order]
        projection = (principal_axes(exact, LOW_DIMS, np.random.default_rng(seed)) if clusters > 1
                      else np.zeros((exact.shape[1], 0), dtype=np.float32))
        return cls(centroids.astype(np.float32), offsets, order.astype(np.int32), position, exact, projection,
                   project(exact, projection))

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
        return self.nearest_many(np.asarray(query, dtype=np.float32)[None, :], k, allowed)[0]

    def nearest_many(self, queries: np.ndarray, k: int,
                     allowed: np.ndarray | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
        """`nearest` of each row of `queries` (B x dim). A cluster probed by several queries is read
        once for all of them, one matrix product: what a rematch of many demands saves, since a
        scan's cost is reading the cluster's rows."""
        queries = np.asarray(queries, dtype=np.float32)
        budget = self._probe_rows()
        if allowed is not None and np.count_nonzero(allowed) <= budget:
            rows = np.flatnonzero(allowed)
            return [top_k(rows, self.scores_of(query, rows), k) for query in queries]
        projected = self.projection.shape[1] > 0  # scan the projection, then score its best exactly
        scanned = self._scan(self.low if projected else self.vectors,
                             queries @ self.projection if projected else queries, self._probe(queries, budget))
        return [self._best_of(query, positions, scores, k, allowed, projected)
                for query, (positions, scores) in zip(queries, scanned)]

    def _best_of(self, query: np.ndarray, positions: np.ndarray, scores: np.ndarray, k: int,
                 allowed: np.ndarray | None, projected: bool) -> tuple[np.ndarray, np.ndarray]:
        if allowed is not None:
            keep = allowed[self.order[positions]]
            positions, scores = positions[keep], scores[keep]
        if projected:
            positions = top_k(positions, scores, RESCORE * k)[0]
            scores = self.vectors[positions] @ query
        return top_k(self.order[positions].astype(np.int64), scores, k)

    def _probe_rows(self) -> int:
        return max(MIN_PROBE_ROWS, math.ceil(PROBE_SHARE * self.rows))

    def _probe(self, queries: np.ndarray, budget: int) -> list[np.ndarray]:
        """Per query, the clusters nearest it, until they hold `budget` rows."""
        if len(self.centroids) == 1:
            return [np.zeros(1, dtype=np.int64)] * len(queries)
        ranked = np.argsort(-(queries @ self.centroids.T), axis=1, kind="stable")
        held = np.cumsum(np.diff(self.offsets)[ranked], axis=1)
        enough = np.count_nonzero(held < budget, axis=1) + 1
        return [ranked[i, :n] for i, n in enumerate(enough.tolist())]

    def _scan(self, matrix: np.ndarray, queries: np.ndarray,
              probes: list[np.ndarray]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per query, (positions, matrix rows @ query) of its probed clusters' rows: one product per
        cluster's block and all the queries probing it, no copy of the block."""
        askers: dict[int, list[int]] = {}
        for i, clusters in enumerate(probes):
            for c in clusters.tolist():
                askers.setdefault(c, []).append(i)
        spans: list[list[np.ndarray]] = [[] for _ in probes]
        scores: list[list[np.ndarray]] = [[] for _ in probes]
        for c in sorted(askers):  # storage order: the scan reads forward
            a, b, who = int(self.offsets[c]), int(self.offsets[c + 1]), askers[c]
            block = matrix[a:b] @ queries[who].T
            for j, i in enumerate(who):
                spans[i].append(np.arange(a, b))
                scores[i].append(block[:, j])
        return [(np.concatenate(s), np.concatenate(v)) for s, v in zip(spans, scores)]


def segment_vectors(segment) -> VectorIndex | None:
    """The vector index of a mapped segment (a side file, sidecar.py); None if it holds no vectors."""
    if "vectors" not in segment:
        return None
    return side_arrays(segment.path, "vectors_ivf2", lambda: VectorIndex.build(segment["vectors"]).arrays(),
                       VectorIndex.from_arrays, replaces=("vectors_ivf",))  # the index before projections


def principal_axes(vectors: np.ndarray, dims: int, rng: np.random.Generator) -> np.ndarray:
    """(dim, dims) float32: the top right singular vectors of a sample of the rows, not centred."""
    sample = vectors[np.sort(rng.choice(len(vectors), min(len(vectors), PROJECTION_SAMPLE), replace=False))]
    axes = np.linalg.svd(sample.astype(np.float64), full_matrices=False)[2][:min(dims, vectors.shape[1])]
    return np.ascontiguousarray(axes.T, dtype=np.float32)


def project(vectors: np.ndarray, projection: np.ndarray) -> np.ndarray:
    low = np.empty((len(vectors), projection.shape[1]), dtype=np.float32)
    for start in range(0, len(vectors), _CHUNK):
        low[start:start + _CHUNK] = vectors[start:start + _CHUNK] @ projection
    return low


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


def among(values: np.ndarray, pool: np.ndarray) -> np.ndarray:
    """Which of `values` are in `pool` (a few hundred integers: np.isin's sorting costs more here)."""
    if not len(pool):
        return np.zeros(len(values), dtype=bool)
    ordered = np.sort(pool)
    return ordered[np.minimum(np.searchsorted(ordered, values), len(ordered) - 1)] == values
