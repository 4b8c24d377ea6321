"""The builder: full and incremental builds, compaction, consistency checks, election."""
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from matchmaker.index.builder import IndexBuilder
from matchmaker.index.manifest import EMPTY, read_manifest
from matchmaker.index.memory_source import MemorySource
from matchmaker.index.merge import plan_merge
from matchmaker.index.snapshot import Snapshot

ROOT = Path(__file__).resolve().parents[2]


def encode(rows):
    """A caller's columns: a string, a number, a vector and sparse terms per row."""
    values = np.array([r["value"] for r in rows], dtype=np.float32)
    terms = sp.csr_matrix((values, (np.arange(len(rows)), [int(v) % 50 for v in values])), shape=(len(rows), 50))
    return {"name": [r["name"] for r in rows], "value": values,
            "vec": np.repeat(values[:, None], 4, axis=1).astype(np.float16), "terms": terms}


def _source(n=25):
    source = MemorySource()
    for i in range(n):
        source.write(f"s-{i}", "supply" if i % 3 else "demand", name=f"零件 {i}", value=float(i))
    return source


def _builder(tmp_path, source, **options):
    options = {"kinds": ("supply", "demand"), "segment_rows": 10, "batch_size": 4, **options}
    return IndexBuilder(tmp_path, source, encode, **options)


def _contents(directory):
    """id -> (name, value, seq) over the live rows of the published index."""
    snapshot = Snapshot(directory, read_manifest(directory))
    out = {}
    for index, segment in enumerate(snapshot.segments):
        for row in np.flatnonzero(snapshot.live_mask(index)):
            item_id = segment["id"][row]
            assert item_id not in out, "an id is live twice"
            assert segment["terms"][row].sum() == segment["value"][row] == float(segment["vec"][row, 0])
            out[item_id] = (segment["name"][row], float(segment["value"][row]), int(segment["seq"][row]))
    return out


def _expected(source):
    return {i: (r["name"], r["value"], r["seq"]) for i, r in source.items.items()}


def test_full_build_writes_bounded_segments_reports_progress_and_holds_every_item(tmp_path):
    source, seen = _source(25), []
    manifest = _builder(tmp_path, source, progress=seen.append).build_full()
    assert [s.rows for s in manifest.segments] == [10, 10, 5]
    assert sum(seen) == 25 and manifest.seq == 25 and manifest.generation == 1
    assert _contents(tmp_path) == _expected(source)


def test_update_writes_the_changes_and_deletes_the_rows_they_supersede(tmp_path):
    source = _source(25)
    builder = _builder(tmp_path, source)
    builder.build_full()
    source.write("s-3", "supply", name="新名称", value=3.5)
    source.write("s-new", "demand", name="new", value=7.0)
    source.delete("s-4")
    manifest = builder.update()
    assert manifest.seq == source.max_seq() and manifest.segments[-1].rows == 2
    assert sum(1 for s in manifest.segments if s.deletes_file) == 1
    assert _contents(tmp_path) == _expected(source)
    assert builder.update() is None


def test_compaction_merges_small_segments_and_keeps_every_live_row(tmp_path):
    source = _source(25)
    builder = _builder(tmp_path, source, max_segments=4)
    builder.build_full()
    for round_ in range(6):
        source.write(f"s-{round_}", "supply", name=f"round {round_}", value=100.0 + round_)
        source.write(f"n-{round_}", "demand", name="added", value=float(round_))
        builder.update()
    before = _contents(tmp_path)
    assert len(read_manifest(tmp_path).segments) == 9
    while builder.compact():
        pass
    assert len(read_manifest(tmp_path).segments) <= 4
    assert _contents(tmp_path) == before == _expected(source)


def test_merge_plan_leaves_full_segments_and_merges_the_smallest_tier():
    assert plan_merge([100, 3, 4], max_segments=3, max_rows=100) == []
    assert plan_merge([100, 100, 3, 40, 4, 5], max_segments=3, max_rows=100) == [2, 4, 5]
    assert plan_merge([100, 60, 70, 80], max_segments=3, max_rows=100) == []


def test_consistency_check_passes_on_a_faithful_index_and_rebuilds_a_diverged_one(tmp_path):
    source = _source(25)
    builder = _builder(tmp_path, source)
    builder.build_full()
    assert builder.check() is True
    # A write that never reached the feed (what a wall-clock feed could miss).
    source.items["s-5"] = {**source.items["s-5"], "name": "missed", "seq": 999}
    generation = read_manifest(tmp_path).generation
    assert builder.check() is False
    assert read_manifest(tmp_path).generation == generation + 1
    assert _contents(tmp_path)["s-5"][0] == "missed"
    assert builder.check() is True


def test_a_new_schema_version_triggers_a_full_build(tmp_path):
    source = _source(5)
    _builder(tmp_path, source).build_full()
    _builder(tmp_path, source, schema_version=2).step()
    assert read_manifest(tmp_path).schema_version == 2


def test_encode_rows_may_not_return_a_system_column(tmp_path):
    builder = IndexBuilder(tmp_path, _source(3), lambda rows: {"seq": np.zeros(len(rows))})
    with pytest.raises(ValueError, match="reserved column"):
        builder.build_full()


ELECTED = r"""
import os, sys, threading
import numpy as np
from matchmaker.index.builder import IndexBuilder
from matchmaker.index.memory_source import MemorySource
directory, log = sys.argv[1], sys.argv[2]
source = MemorySource()
for i in range(30):
    source.write(f"s-{i}", name=str(i))
builder = IndexBuilder(directory, source, lambda rows: {"name": [r["name"] for r in rows]})
step = builder.step
def logged_step(check=False):
    with open(log, "a") as handle:
        handle.write(f"{os.getpid()}\n")
    step(check)
builder.step = logged_step
builder.run(threading.Event(), interval=0.05)
"""


def _builders_in(log: Path) -> list[int]:
    return [int(line) for line in log.read_text().split()] if log.exists() else []


def _wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_one_of_two_processes_builds_and_the_other_takes_over_when_it_exits(tmp_path):
    log = tmp_path / "steps.log"
    start = lambda: subprocess.Popen([sys.executable, "-c", ELECTED, str(tmp_path / "index"), str(log)], cwd=ROOT)
    first = start()
    second = None
    try:
        _wait_for(lambda: first.pid in _builders_in(log))
        second = start()
        time.sleep(2.0)  # long enough for the second to import, start and try the lock many times
        assert set(_builders_in(log)) == {first.pid} and second.poll() is None
        assert read_manifest(tmp_path / "index").segments[0].rows == 30
        first.kill()
        first.wait()
        _wait_for(lambda: second.pid in _builders_in(log))
        assert _builders_in(log)[-1] == second.pid
    finally:
        for process in (first, second):
            if process and process.poll() is None:
                process.kill()
                process.wait()


def test_a_second_host_starts_from_a_copy_and_goes_on_incrementally(tmp_path):
    from matchmaker.index.transfer import copy_index

    source, encoded = _source(25), []
    counting = lambda rows: encoded.append(len(rows)) or encode(rows)
    IndexBuilder(tmp_path / "first", source, counting, segment_rows=10, batch_size=4).build_full()
    source.delete("s-1")
    IndexBuilder(tmp_path / "first", source, counting, segment_rows=10, batch_size=4).update()
    copied = copy_index(tmp_path / "first", tmp_path / "second")
    assert copied == read_manifest(tmp_path / "second") and _contents(tmp_path / "second") == _expected(source)
    encoded.clear()
    source.write("s-2", name="later", value=2.0)
    second = IndexBuilder(tmp_path / "second", source, counting, segment_rows=10, batch_size=4)
    second.step()
    assert encoded == [1]  # only the new change was encoded, nothing copied was redone
    assert _contents(tmp_path / "second") == _expected(source)


class StaleMaxSeq(MemorySource):
    """max_seq read before the scan: the last two writes race it."""

    def max_seq(self):
        return super().max_seq() - 2


def test_an_older_change_never_replaces_a_newer_version_a_full_scan_read(tmp_path):
    source = StaleMaxSeq()
    for i in range(5):
        source.write(f"s-{i}", name=f"v0 {i}", value=float(i))
    source.write("s-1", name="v1", value=1.0)
    source.write("s-1", name="v2", value=1.0)
    builder = IndexBuilder(tmp_path, source, encode, segment_rows=1, batch_size=1)
    builder.build_full()
    assert _contents(tmp_path)["s-1"][0] == "v2"
    builder.update()  # reads only the v1 change in this round
    assert _contents(tmp_path)["s-1"][0] == "v2"
    while builder.update():
        pass
    assert _contents(tmp_path)["s-1"][0] == "v2"


def test_every_segment_written_is_prepared_before_a_manifest_names_it(tmp_path):
    """Full builds, updates and merges hand each new segment to `on_segment` (side files such as
    the vector index are written then), before any reader can open it."""
    source, prepared = _source(25), []

    def prepare(segment):
        assert segment.name not in {e.name for e in (read_manifest(tmp_path) or EMPTY).segments}
        prepared.append((segment.name, segment.rows))

    builder = _builder(tmp_path, source, max_segments=2, on_segment=prepare)
    builder.build_full()
    source.write("s-1", "supply", name="changed", value=7.0)
    builder.update()
    while builder.compact():
        pass
    names = {name for name, _ in prepared}
    assert {e.name for e in read_manifest(tmp_path).segments} <= names
    assert [rows for _, rows in prepared[:3]] == [10, 10, 5] and len(prepared) >= 5  # 3 built, 1 update, merges

