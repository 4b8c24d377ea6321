"""BM25 top-k with MaxScore (lexical.BM25Matrix.top, bm25_kernels.py): what it skips never changes the top k."""
import numpy as np
import pytest

from matchmaker.matching import lexical
from matchmaker.matching.lexical import BM25Matrix, query_counts
from matchmaker.matching.vector_index import top_k

K = 10


@pytest.fixture(scope="module")
def corpus():
    """3,000 documents over a Zipfian vocabulary: a few terms in most documents, as character
    bigrams of one trade are, so that the common terms' postings are worth skipping."""
    rng = np.random.default_rng(11)
    vocabulary = [f"t{i}" for i in range(400)]
    weights = 1.0 / np.arange(1, len(vocabulary) + 1)
    weights /= weights.sum()
    documents = [list(rng.choice(vocabulary, size=rng.integers(3, 40), p=weights)) for _ in range(3_000)]
    return BM25Matrix.build(documents), documents, rng


@pytest.fixture(autouse=True)
def prune_early(monkeypatch):
    monkeypatch.setattr(lexical, "POSTINGS_BEFORE_PRUNING", 300)


def queries(documents, rng, count=40):
    for i in rng.choice(len(documents), count, replace=False):
        terms = list(dict.fromkeys(documents[i]))[:12] + ["t0", "t1", "t2"]  # common terms too
        ids, counts = query_counts(terms)
        yield ids, counts * rng.uniform(0.5, 3.0, len(ids))


def assert_same_top(found, dense, k=K, allowed=None):
    """The k best of `found` are the dense scores' k best: the same scores, and the same rows above the k-th."""
    if allowed is not None:
        dense = np.where(allowed, dense, 0)
    best_rows, best_scores = top_k(np.flatnonzero(dense > 0), dense[dense > 0], k)
    rows, scores = top_k(*found, k)
    assert np.allclose(scores, best_scores, rtol=1e-5)
    assert np.allclose(scores, dense[rows], rtol=1e-5)
    kth = best_scores[-1] if len(best_scores) else 0
    clear = best_rows[best_scores > kth * (1 + 1e-5)]
    assert set(clear.tolist()) <= set(rows.tolist())


def test_the_top_k_equals_the_dense_scores_top_k_while_reading_less(corpus):
    matrix, documents, rng = corpus
    returned, sharing = 0, 0
    for ids, weights in queries(documents, rng):
        found = matrix.top(ids, weights, K, np.ones(matrix.n_docs, dtype=bool))
        dense = matrix.scores(ids, weights)
        assert_same_top(found, dense)
        returned += len(found[0])
        sharing += np.count_nonzero(dense)
    assert returned < sharing / 4  # most documents sharing a term with the query were never scored in full


def test_a_floor_from_other_segments_keeps_only_what_can_reach_it(corpus):
    matrix, documents, rng = corpus
    for ids, weights in queries(documents, rng):
        dense = matrix.scores(ids, weights)
        floor = float(np.sort(dense)[-3])  # as if other segments had given k - 2 better ones
        rows, scores = matrix.top(ids, weights, K, np.ones(matrix.n_docs, dtype=bool), floor)
        assert (scores >= floor * (1 - 1e-5)).all()
        assert set(np.flatnonzero(dense > floor * (1 + 1e-5)).tolist()) <= set(rows.tolist())


def test_rows_not_allowed_are_never_returned_and_the_rest_rank_as_without_them(corpus):
    matrix, documents, rng = corpus
    allowed = rng.random(matrix.n_docs) < 0.3
    for ids, weights in queries(documents, rng):
        found = matrix.top(ids, weights, K, allowed)
        assert allowed[found[0]].all()
        assert_same_top(found, matrix.scores(ids, weights), allowed=allowed)


def test_a_few_documents_are_scored_as_the_dense_scores_say(corpus):
    matrix, documents, rng = corpus
    rows = np.array([5, 0, 2_999, 17, 17])
    for ids, weights in queries(documents, rng, 10):
        assert np.allclose(matrix.scores_at(ids, weights, rows), matrix.scores(ids, weights)[rows], rtol=1e-5)


def test_a_query_sharing_no_term_finds_nothing(corpus):
    matrix, _, _ = corpus
    ids, counts = query_counts(["absent-term", "另一个"])
    rows, scores = matrix.top(ids, counts, K, np.ones(matrix.n_docs, dtype=bool))
    assert len(rows) == len(scores) == 0
    assert matrix.scores_at(ids, counts, np.array([1, 2])).tolist() == [0.0, 0.0]


def test_serve_compiles_the_kernels_into_numbas_cache_before_the_workers_start(capsys, monkeypatch, tmp_path):
    from matchmaker.cli.serve_cmd import _compile_kernels

    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))  # an empty cache: the child compiles (~17 s)
    _compile_kernels()
    assert "warning" not in capsys.readouterr().err
    assert list(tmp_path.rglob("bm25_kernels.top_candidates-*.nbi"))
