"""Segments: every column kind survives a write and a mapped read; bad input writes nothing."""
import numpy as np
import pytest
import scipy.sparse as sp

from matchmaker.index.segment import Segment, write_segment
from tests.helpers import is_mapped


@pytest.fixture
def columns():
    rng = np.random.default_rng(7)
    return {
        "id": ["s-1", "s-2", "需求-3", "", "s-5"],
        "name": ["IGBT模块 1200V", "域控制器", "钕铁硼磁体 N52", "", "gear 🙂"],
        "count": np.array([1, -2, 3, 2**40, 0], dtype=np.int64),
        "value": np.array([0.5, 1e9, -3.25, np.nan, 0.0], dtype=np.float32),
        "local": np.array([True, False, True, False, True]),
        "vec16": rng.standard_normal((5, 384)).astype(np.float16),
        "vec32": rng.standard_normal((5, 8)).astype(np.float32),
        "terms": sp.random(5, 1000, density=0.01, format="csr", dtype=np.float32, random_state=3),
    }


def test_every_column_kind_round_trips(tmp_path, columns):
    segment = Segment(write_segment(tmp_path, "seg-a", columns, meta={"source": "test", "dim": 384}))

    assert segment.rows == 5 and segment.meta == {"source": "test", "dim": 384}
    assert list(segment["id"]) == columns["id"] and list(segment["name"]) == columns["name"]
    assert len(segment["name"]) == 5 and segment["name"][-1] == "gear 🙂"
    for name in ("count", "value", "local", "vec16", "vec32"):
        assert segment[name].dtype == columns[name].dtype
        np.testing.assert_array_equal(segment[name], columns[name])
        assert is_mapped(segment[name])
    terms = segment["terms"]
    assert isinstance(terms, sp.csr_matrix) and terms.shape == (5, 1000)
    assert (terms != columns["terms"]).nnz == 0


def test_sparse_matrix_is_reopened_over_the_mapped_files_without_a_copy(tmp_path, columns):
    terms = Segment(write_segment(tmp_path, "seg-a", columns))["terms"]
    for part in (terms.data, terms.indices, terms.indptr):
        assert is_mapped(part) and not part.flags.writeable


def test_mapped_columns_are_read_only(tmp_path, columns):
    segment = Segment(write_segment(tmp_path, "seg-a", columns))
    with pytest.raises(ValueError):
        segment["count"][0] = 5


def test_string_lookup_finds_rows_with_the_index_on_disk_and_without(tmp_path, columns):
    segment = Segment(write_segment(tmp_path, "seg-a", columns, indexed=("id",)))
    assert (tmp_path / "seg-a" / "id.keys.npy").exists()
    assert not (tmp_path / "seg-a" / "name.keys.npy").exists()
    for row, value in enumerate(columns["id"]):
        assert segment["id"].find(value) == row
    for row, value in enumerate(columns["name"]):
        assert segment["name"].find(value) == row  # built lazily in memory
    assert segment["id"].find("s-9") == -1 and segment["name"].find("IGBT") == -1


def test_row_keys_are_the_hash_of_each_row_in_row_order(tmp_path, columns):
    from matchmaker.index.hashing import hash64
    segment = Segment(write_segment(tmp_path, "seg", columns, indexed=("id",)))
    for name in ("id", "name"):  # an index on disk, and one built in memory
        assert segment[name].row_keys().tolist() == [hash64(v) for v in columns[name]]


def test_equals_gives_a_mask_of_exact_matches(tmp_path):
    kinds = ["supply", "demand", "supply", "supplyx", "", "suppl"]
    segment = Segment(write_segment(tmp_path, "seg-a", {"kind": kinds}))
    assert segment["kind"].equals("supply").tolist() == [True, False, True, False, False, False]
    assert segment["kind"].equals("").tolist() == [False, False, False, False, True, False]


def test_write_leaves_only_the_finished_segment(tmp_path, columns):
    write_segment(tmp_path, "seg-a", columns)
    assert [p.name for p in tmp_path.iterdir()] == ["seg-a"]


@pytest.mark.parametrize("bad, message", [
    ({"id": ["a", "b"], "x": np.arange(3)}, "differ in length"),
    ({"id": ["a", 7]}, "'id', row 1"),
    ({"x": np.array([object(), object()])}, "column 'x'"),
    ({"bad name": np.arange(2)}, "column name"),
])
def test_bad_columns_are_refused_naming_the_column_and_nothing_is_left(tmp_path, bad, message):
    with pytest.raises(ValueError, match=message):
        write_segment(tmp_path, "seg-a", bad)
    assert list(tmp_path.iterdir()) == []


def test_take_reads_many_rows_as_single_reads_do(tmp_path, columns):
    segment = Segment(write_segment(tmp_path, "seg-a", columns))
    names = segment["name"]
    rows = [2, 0, -1, 1, 1]
    assert names.take(rows) == [names[r] for r in rows]
    assert names.take([]) == []
    with pytest.raises(IndexError):
        names.take([0, len(names)])
