"""The segment vector index (matching/vector_index.py): exact when small, near-exact and filtered when clustered."""
import numpy as np
import pytest

from matchmaker.index import Segment, write_segment
from matchmaker.matching import vector_index
from matchmaker.matching.vector_index import VectorIndex, segment_vectors
from tests.helpers import is_mapped


def unit_rows(rng, count, dim=32, centres=None):
    """Unit vectors; around `centres` (as texts of a few product families are) when given."""
    if centres is None:
        x = rng.standard_normal((count, dim))
    else:
        x = centres[rng.integers(0, len(centres), count)] + 0.35 * rng.standard_normal((count, dim))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float16)


def exact_top(vectors, query, k, allowed=None):
    scores = vectors.astype(np.float32) @ query
    if allowed is not None:
        scores = np.where(allowed, scores, -np.inf)
    return np.argsort(-scores, kind="stable")[:k]


@pytest.fixture
def clustered(monkeypatch):
    monkeypatch.setattr(vector_index, "IVF_MIN_ROWS", 1_000)
    monkeypatch.setattr(vector_index, "MIN_PROBE_ROWS", 200)
    # The scan reads a projection of 24 of the 32 dims: isotropic test vectors keep less of their
    # energy in a projection than sentence vectors do (docs/MATCHING.md has the recall on real ones).
    monkeypatch.setattr(vector_index, "LOW_DIMS", 24)
    rng = np.random.default_rng(7)
    centres = rng.standard_normal((60, 32))
    vectors = unit_rows(rng, 6_000, centres=centres)
    queries = unit_rows(rng, 40, centres=centres).astype(np.float32)
    return VectorIndex.build(vectors), vectors, queries


def test_a_small_segment_is_one_cluster_and_its_search_is_exact():
    rng = np.random.default_rng(1)
    vectors = unit_rows(rng, 500)
    index = VectorIndex.build(vectors)
    assert len(index.centroids) == 1 and index.projection.shape == (32, 0)  # no projection: exact
    for query in unit_rows(rng, 5).astype(np.float32):
        rows, scores = index.nearest(query, 10)
        assert rows.tolist() == exact_top(vectors, query, 10).tolist()
        assert np.allclose(scores, vectors[rows].astype(np.float32) @ query, atol=1e-6)


def test_a_large_segment_scans_a_share_of_its_rows_and_finds_nearly_all_of_the_exact_top(clustered):
    index, vectors, queries = clustered
    assert len(index.centroids) == round(np.sqrt(len(vectors)))
    assert index.projection.shape == (32, 24) and index.low.shape == (len(vectors), 24)
    assert sorted(index.order.tolist()) == list(range(len(vectors)))
    assert (index.order[index.position] == np.arange(len(vectors))).all()
    found = [len(set(index.nearest(q, 10)[0]) & set(exact_top(vectors, q, 10))) for q in queries]
    assert sum(found) / (10 * len(queries)) >= 0.9
    scanned = index._probe_rows()
    assert scanned < len(vectors) / 4


def test_the_cosines_given_are_exact_for_any_row(clustered):
    index, vectors, queries = clustered
    rows = np.array([5, 4_321, 17, 5_999])
    assert np.allclose(index.scores_of(queries[0], rows), vectors[rows].astype(np.float32) @ queries[0], atol=1e-6)
    near, cosines = index.nearest(queries[0], 25)
    assert (np.diff(cosines) <= 0).all()
    assert np.allclose(cosines, vectors[near].astype(np.float32) @ queries[0], atol=1e-6)


def test_only_allowed_rows_are_returned_and_a_few_allowed_rows_are_searched_exactly(clustered):
    index, vectors, queries = clustered
    rng = np.random.default_rng(3)
    half = rng.random(len(vectors)) < 0.5
    rows, _ = index.nearest(queries[1], 20, half)
    assert half[rows].all() and len(rows) == 20
    few = np.zeros(len(vectors), dtype=bool)
    few[rng.choice(len(vectors), 50, replace=False)] = True
    rows, _ = index.nearest(queries[1], 10, few)
    assert rows.tolist() == exact_top(vectors, queries[1], 10, few).tolist()
    assert index.nearest(queries[1], 10, np.zeros(len(vectors), dtype=bool))[0].tolist() == []


def test_the_same_vectors_give_the_same_clusters_in_every_process(clustered):
    index, vectors, _ = clustered
    again = VectorIndex.build(vectors)
    assert all(np.array_equal(a, b) for a, b in zip(index.arrays().values(), again.arrays().values()))


def test_a_segments_index_is_written_beside_it_once_and_then_mapped(tmp_path):
    rng = np.random.default_rng(2)
    vectors = unit_rows(rng, 300)
    path = write_segment(tmp_path, "seg-1", {"id": [f"S{i}" for i in range(300)], "vectors": vectors})
    index = segment_vectors(Segment(path))
    assert (path / "vectors_ivf2" / "vectors.npy").exists()
    assert is_mapped(index.vectors)
    assert segment_vectors(Segment(path)) is index
    without = write_segment(tmp_path, "seg-2", {"id": ["S1"], "name": ["x"]})
    assert segment_vectors(Segment(without)) is None


def test_a_workers_delta_is_never_clustered_however_large(clustered):
    _, vectors, queries = clustered
    delta = VectorIndex.build(vectors, clustered=False)  # rebuilt at every change: no k-means there
    assert len(delta.centroids) == 1
    assert delta.nearest(queries[0], 10)[0].tolist() == exact_top(vectors, queries[0], 10).tolist()


def test_the_shared_top_k_orders_by_score_then_row_and_asks_for_none_gracefully():
    from matchmaker.matching.vector_index import top_k
    rows, scores = np.array([7, 3, 9, 1]), np.array([0.5, 0.9, 0.5, 0.1], dtype=np.float32)
    assert top_k(rows, scores, 3)[0].tolist() == [3, 7, 9]
    assert top_k(rows, scores, 0)[0].tolist() == [] and top_k(rows[:0], scores[:0], 5)[0].tolist() == []


def test_queries_searched_together_find_what_each_finds_alone(clustered):
    """A batch reads each probed cluster once for all its queries; each query still gets its own probe."""
    index, vectors, queries = clustered
    half = np.random.default_rng(5).random(len(vectors)) < 0.5
    for allowed in (None, half):
        together = index.nearest_many(queries, 15, allowed)
        assert len(together) == len(queries)
        for query, (rows, cosines) in zip(queries, together):
            alone_rows, alone_cosines = index.nearest_many(query[None, :], 15, allowed)[0]
            assert rows.tolist() == alone_rows.tolist()
            assert np.allclose(cosines, alone_cosines, atol=1e-6)
            assert np.allclose(cosines, vectors[rows].astype(np.float32) @ query, atol=1e-6)
            assert allowed is None or allowed[rows].all()


def test_a_batch_reads_each_probed_cluster_once(clustered):
    index, _, queries = clustered
    low_queries = queries @ index.projection
    probes = index._probe(queries, index._probe_rows())
    probed = set().union(*(set(p.tolist()) for p in probes))
    assert sum(len(p) for p in probes) > 2 * len(probed)  # the queries share clusters

    class CountingReads:
        def __init__(self, matrix):
            self.matrix, self.reads = matrix, []

        def __getitem__(self, rows: slice):
            self.reads.append((rows.start, rows.stop))
            return self.matrix[rows]

    matrix = CountingReads(index.low)
    scanned = index._scan(matrix, low_queries, probes)
    assert len(matrix.reads) == len(set(matrix.reads)) == len(probed)
    for (positions, scores), clusters, query in zip(scanned, probes, low_queries):
        expected = np.concatenate([np.arange(index.offsets[c], index.offsets[c + 1]) for c in sorted(clusters)])
        assert positions.tolist() == expected.tolist()
        assert np.allclose(scores, index.low[positions] @ query, atol=1e-5)
