"""Arrays derived from a segment (matching/sidecar.py): computed once, all or nothing, then mapped by every process."""
import multiprocessing

import numpy as np

from matchmaker.matching import sidecar
from matchmaker.matching.inverted import segment_matrix
from matchmaker.matching.lexical import BM25Matrix
from matchmaker.matching.columns import encode_columns
from matchmaker.index import Segment, write_segment
from tests.helpers import is_mapped


def test_computed_once_then_mapped_from_disk(tmp_path):
    calls = []

    def compute():
        calls.append(1)
        return {"a": np.arange(5), "b": np.ones((2, 3), dtype=np.float32)}

    first = sidecar.side_arrays(tmp_path, "extra", compute)
    sidecar._cache.clear()  # as another process: it finds the files and does not compute
    second = sidecar.side_arrays(tmp_path, "extra", compute)
    assert calls == [1]
    assert is_mapped(second["a"]) and second["a"].tolist() == first["a"].tolist() == [0, 1, 2, 3, 4]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("tmp-")]


def test_a_new_side_file_removes_the_one_it_supersedes(tmp_path):
    (tmp_path / "extra_v1").mkdir()
    np.save(tmp_path / "extra_v1" / "a.npy", np.arange(3))
    sidecar.side_arrays(tmp_path, "extra_v2", lambda: {"a": np.arange(4)}, replaces=("extra_v1",))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["extra_v2"]


def test_a_failed_computation_leaves_nothing_half_written(tmp_path):
    def broken():
        raise RuntimeError("out of memory")

    try:
        sidecar.side_arrays(tmp_path, "extra", broken)
    except RuntimeError:
        pass
    assert list(tmp_path.iterdir()) == []


def _write_same(folder: str) -> None:
    sidecar._write(sidecar.Path(folder) / "extra", {"a": np.arange(1000)})


def test_racing_writers_leave_one_complete_copy(tmp_path):
    with multiprocessing.get_context("fork").Pool(4) as pool:
        pool.map(_write_same, [str(tmp_path)] * 8)
    assert [p.name for p in tmp_path.iterdir()] == ["extra"]
    assert np.load(tmp_path / "extra" / "a.npy").tolist() == list(range(1000))


def test_the_term_major_matrix_of_a_segment_scores_as_the_one_built_in_memory(tmp_path):
    rows = [{"id": f"S{i}", "name": name} for i, name in enumerate(["IGBT模块 1200V", "线束总成", "IGBT module"])]
    columns = {**encode_columns(rows, None), "id": [r["id"] for r in rows]}
    segment = Segment(write_segment(tmp_path, "seg-1", columns))
    mapped, built = segment_matrix(segment), BM25Matrix.from_doc_major(columns["bm25"])
    ids, weights = np.array(built.term_keys[:4]), np.ones(4)
    assert np.allclose(mapped.scores(ids, weights), built.scores(ids, weights))
    assert is_mapped(mapped.term_max) and mapped.term_max.tolist() == built.term_max.tolist()  # MaxScore's bounds
    assert is_mapped(mapped.doc_max) and mapped.doc_max.tolist() == built.doc_max.tolist()
    assert segment_matrix(segment) is mapped  # kept per process
    assert (segment.path / "bm25_inv" / "data.npy").exists()


def test_a_failed_write_removes_its_partial_copy(tmp_path):
    class Unsaveable:
        def __array__(self, *args, **kwargs):
            raise OSError("no space left on device")

    try:
        sidecar._write(tmp_path / "extra", {"a": np.arange(3), "b": Unsaveable()})
    except OSError:
        pass
    assert list(tmp_path.iterdir()) == []
