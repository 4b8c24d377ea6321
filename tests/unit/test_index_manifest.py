"""Manifest: atomic publish, generations, removal of old files, and a writer killed mid-write."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from matchmaker.index.election import BuilderLock
from matchmaker.index.manifest import Manifest, SegmentEntry, publish, read_deletes, read_manifest, write_deletes
from matchmaker.index.segment import write_segment
from matchmaker.index.snapshot import Snapshot

ROOT = Path(__file__).resolve().parents[2]

# Publishes generation after generation; each segment's values are a function of its generation.
# With a stage named, it stops for good at that point so the test can kill it there.
WRITER = r"""
import os, sys, time
import numpy as np
from pathlib import Path
from matchmaker.index import fsutil, segment
from matchmaker.index.manifest import Manifest, SegmentEntry, publish, read_manifest, write_deletes
directory, stage = Path(sys.argv[1]), sys.argv[2]

def hang(*args):
    (directory / "ready").touch()
    time.sleep(3600)

first = (read_manifest(directory) or Manifest(0, 0)).generation + 1
for generation in range(first, first + 10_000):
    if generation > first and stage == "segment":
        segment.fsync_path = hang          # files written, not yet renamed
    if generation > first and stage == "manifest":
        fsutil.os.replace = hang           # segment in place, manifest not yet replaced
    rows = 20_000
    name = segment.new_segment_name(generation)  # unique, as the builder names them
    segment.write_segment(directory / "segments", name, {
        "id": [f"{generation}-{i}" for i in range(rows)],
        "x": np.arange(rows, dtype=np.int64) * generation,
        "vec": np.full((rows, 16), generation, dtype=np.float16)}, meta={"generation": generation})
    deletes = write_deletes(directory, name, np.arange(rows) % 7 == 0)
    publish(directory, Manifest(generation, generation, (SegmentEntry(name, rows, deletes),)))
"""


def _start_writer(directory: Path, stage: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(directory), stage], cwd=ROOT)


def _assert_whole(directory: Path) -> int:
    """Every segment the manifest names reads back exactly as its writer wrote it."""
    manifest = read_manifest(directory)
    snapshot = Snapshot(directory, manifest)
    for segment, deleted in zip(snapshot.segments, snapshot.deleted):
        generation = segment.meta["generation"]
        assert segment.rows == 20_000 and len(segment["id"]) == 20_000
        assert segment["id"][19_999] == f"{generation}-19999"
        np.testing.assert_array_equal(segment["x"], np.arange(20_000) * generation)
        assert float(segment["vec"][-1, -1]) == generation and int(deleted.sum()) == 2858
    return manifest.generation


def test_no_manifest_reads_as_none(tmp_path):
    assert read_manifest(tmp_path) is None


def test_publish_then_read_round_trips(tmp_path):
    manifest = Manifest(3, 42, (SegmentEntry("seg-a", 10, None), SegmentEntry("seg-b", 5, "seg-b.1.npy")),
                        schema_version=2)
    publish(tmp_path, manifest)
    assert read_manifest(tmp_path) == manifest


def test_publish_refuses_a_generation_that_is_not_newer(tmp_path):
    publish(tmp_path, Manifest(2, 1))
    with pytest.raises(ValueError, match="not newer"):
        publish(tmp_path, Manifest(2, 5))
    assert read_manifest(tmp_path).seq == 1


def test_files_of_the_previous_generation_are_kept_and_older_ones_removed(tmp_path):
    segments = tmp_path / "segments"
    for generation, name in enumerate(["seg-a", "seg-b", "seg-c"], start=1):
        write_segment(segments, name, {"id": ["x"]})
        deletes = write_deletes(tmp_path, name, np.array([False]))
        publish(tmp_path, Manifest(generation, generation, (SegmentEntry(name, 1, deletes),)))
    assert sorted(p.name for p in segments.iterdir()) == ["seg-b", "seg-c"]
    assert sorted(p.name.split(".")[0] for p in (tmp_path / "deletes").iterdir()) == ["seg-b", "seg-c"]


def test_deletes_are_new_files_never_changed_in_place(tmp_path):
    first = write_deletes(tmp_path, "seg-a", np.array([True, False]))
    second = write_deletes(tmp_path, "seg-a", np.array([True, True]))
    assert first != second
    assert read_deletes(tmp_path, SegmentEntry("seg-a", 2, first)).tolist() == [True, False]
    assert read_deletes(tmp_path, SegmentEntry("seg-a", 2, None)).tolist() == [False, False]


@pytest.mark.parametrize("stage", ["segment", "manifest"])
def test_a_writer_killed_mid_write_leaves_the_last_published_generation_whole(tmp_path, stage):
    writer = _start_writer(tmp_path, stage)
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "ready").exists():
            assert writer.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait()
    assert _assert_whole(tmp_path) == 1
    leftovers = list((tmp_path / "segments").glob("tmp-*")) + list(tmp_path.glob("tmp-*"))
    assert leftovers or stage == "manifest"
    lock = BuilderLock(tmp_path)
    assert lock.acquire()  # the next builder removes what the dead one left half-written
    assert list((tmp_path / "segments").glob("tmp-*")) == []
    lock.release()


def test_readers_always_find_a_whole_generation_while_writers_are_killed_at_random(tmp_path):
    rng = np.random.default_rng(11)
    for _ in range(4):
        before = (read_manifest(tmp_path) or Manifest(0, 0)).generation
        writer = _start_writer(tmp_path, "none")
        deadline = time.monotonic() + 60
        while (read_manifest(tmp_path) or Manifest(0, 0)).generation == before:
            assert writer.poll() is None and time.monotonic() < deadline
            time.sleep(0.01)
        time.sleep(float(rng.uniform(0.0, 0.5)))
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()
        _assert_whole(tmp_path)
    assert read_manifest(tmp_path).generation >= 4
