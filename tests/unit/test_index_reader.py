"""Readers: reopen on a new manifest, deletes, the per-process delta of newer writes, refreshing off the request path."""
import threading
import time

import numpy as np
import pytest

from matchmaker.index.builder import IndexBuilder
from matchmaker.index.memory_source import MemorySource
from matchmaker.index.reader import IndexReader


def encode(rows):
    return {"name": [r["name"] for r in rows], "value": np.array([r["value"] for r in rows], dtype=np.float32)}


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


@pytest.fixture
def source():
    source = MemorySource()
    for i in range(12):
        source.write(f"s-{i}", name=f"item {i}", value=float(i))
    return source


@pytest.fixture
def builder(tmp_path, source):
    builder = IndexBuilder(tmp_path, source, encode, kinds=("supply",), segment_rows=5)
    builder.build_full()
    return builder


def _name(view, item_id):
    hit = view.find(item_id)
    if hit is None:
        return None
    return hit.delta["name"] if hit.delta else view.segments[hit.segment]["name"][hit.row]


def test_an_empty_directory_reads_as_an_empty_index(tmp_path):
    view = IndexReader(tmp_path).view()
    assert view.live_count() == 0 and view.find("s-1") is None and view.seq == 0


def test_reader_reopens_only_when_the_manifest_changed_and_its_interval_passed(tmp_path, source, builder):
    clock = Clock()
    reader = IndexReader(tmp_path, refresh_ms=1000, clock=clock)
    first = reader.view()
    assert first.live_count() == 12 and _name(first, "s-7") == "item 7"
    source.write("s-7", name="renamed", value=7.0)
    builder.update()
    clock.now += 0.5
    assert reader.view() is first  # not checked again yet
    clock.now += 0.6
    second = reader.view()
    assert second.snapshot.manifest.generation == 2 and _name(second, "s-7") == "renamed"
    assert second.live_count() == 12
    clock.now += 2
    assert reader.view().snapshot is second.snapshot  # same manifest: not reopened


def test_deleted_rows_are_gone_from_lookups_and_live_masks(tmp_path, source, builder):
    source.delete("s-2")
    builder.update()
    view = IndexReader(tmp_path).view()
    assert view.find("s-2") is None and view.live_count() == 11
    assert "s-2" not in [view.segments[0]["id"][r] for r in np.flatnonzero(view.live_mask(0))]


def test_a_write_is_visible_through_the_delta_before_the_builder_publishes(tmp_path, source, builder):
    clock = Clock()
    reader = IndexReader(tmp_path, source, refresh_ms=1000, clock=clock, encode_rows=encode)
    source.write("s-3", name="edited", value=3.5)
    source.write("s-new", name="brand new", value=20.0)
    source.delete("s-4")
    clock.now += 1.1
    view = reader.view()
    assert _name(view, "s-3") == "edited" and _name(view, "s-new") == "brand new"
    assert view.find("s-4") is None and view.find("s-5").delta is None
    assert view.live_count() == 12 and view.seq == source.max_seq()
    segment, row = view.snapshot.find("s-3")
    assert not view.live_mask(segment)[row]  # the delta row overrides the older segment row
    assert view.delta_columns()["name"] == ["edited", "brand new"]


def test_the_delta_empties_once_the_builder_has_published_its_rows(tmp_path, source, builder):
    clock = Clock()
    reader = IndexReader(tmp_path, source, refresh_ms=1000, clock=clock)
    source.write("s-3", name="edited", value=3.5)
    clock.now += 1.1
    assert reader.view().find("s-3").delta is not None
    builder.update()
    clock.now += 1.1
    view = reader.view()
    assert view.delta == {} and view.find("s-3").segment is not None and _name(view, "s-3") == "edited"


def test_a_reader_far_behind_the_builder_says_so(tmp_path, source, builder):
    for i in range(30):
        source.write(f"n-{i}", name="bulk", value=1.0)
    view = IndexReader(tmp_path, source, max_delta=10, page=4).view()
    assert view.behind and len(view.delta) < 30


def test_an_open_view_keeps_reading_after_its_files_are_removed(tmp_path, source, builder):
    old = IndexReader(tmp_path).view()
    for round_ in range(3):
        source.write("s-1", name=f"round {round_}", value=1.0)
        builder.update()
    builder.build_full()
    builder.build_full()  # two full builds later, nothing names the first segments
    first_segment = old.snapshot.manifest.segments[0].name
    assert not (tmp_path / "segments" / first_segment).exists()
    assert _name(old, "s-0") == "item 0" and float(old.segments[0]["value"][4]) == 4.0
    assert _name(IndexReader(tmp_path).view(), "s-1") == "round 2"


def test_rows_overridden_in_later_refreshes_leave_the_live_mask_too(tmp_path, source, builder):
    clock = Clock()
    reader = IndexReader(tmp_path, source, refresh_ms=1000, clock=clock)
    source.write("s-1", name="first edit", value=1.0)
    clock.now += 1.1
    reader.view()
    source.write("s-8", name="second edit", value=8.0)
    clock.now += 1.1
    view = reader.view()
    hidden = {view.segments[s]["id"][r] for s in range(len(view.segments))
              for r in np.flatnonzero(~view.live_mask(s))}
    assert hidden == {"s-1", "s-8"}


class FailingSource(MemorySource):
    failing = False

    def changes_since(self, seq, limit):
        if self.failing:
            raise ConnectionError("graph away")
        return super().changes_since(seq, limit)


def test_a_source_failure_keeps_the_last_delta_and_marks_the_view_incomplete(tmp_path, builder):
    source = FailingSource()
    source.log = builder.source.log[:]
    clock = Clock()
    reader = IndexReader(tmp_path, source, refresh_ms=1000, clock=clock)
    source.write("s-2", name="seen", value=2.0)
    clock.now += 1.1
    assert not reader.view().behind
    source.failing = True
    source.write("s-3", name="unseen", value=3.0)
    clock.now += 1.1
    view = reader.view()
    assert view.behind and _name(view, "s-2") == "seen" and _name(view, "s-3") == "item 3"
    source.failing = False
    clock.now += 1.1
    view = reader.view()
    assert not view.behind and _name(view, "s-3") == "unseen"


class ThreadNoting(MemorySource):
    """A source that notes which thread asked it for changes."""
    def __init__(self):
        super().__init__()
        self.askers: list[str] = []

    def changes_since(self, seq, limit):
        self.askers.append(threading.current_thread().name)
        return super().changes_since(seq, limit)


def test_a_thread_keeping_the_reader_fresh_shows_new_writes(tmp_path):
    source = ThreadNoting()
    reader = IndexReader(tmp_path, source, refresh_ms=40, encode_rows=encode)
    stop = threading.Event()
    refresher = threading.Thread(target=reader.keep_fresh, args=(stop,), name="refresher")
    refresher.start()
    try:
        source.write("s-new", name="written meanwhile", value=1.0)
        deadline = time.monotonic() + 2
        while "refresher" not in source.askers and time.monotonic() < deadline:
            time.sleep(0.01)
        assert _name(reader._view, "s-new") == "written meanwhile"  # the thread's refresh, not a request's
    finally:
        stop.set()
        refresher.join()


def test_while_a_thread_keeps_it_fresh_a_request_refreshes_only_a_view_several_periods_old(tmp_path):
    clock, source = Clock(), ThreadNoting()
    reader = IndexReader(tmp_path, source, refresh_ms=1000, clock=clock, encode_rows=encode)
    source.askers.clear()
    stop = threading.Event()
    refresher = threading.Thread(target=reader.keep_fresh, args=(stop,), name="refresher")
    refresher.start()
    time.sleep(0.1)  # it has started; its first refresh is a (real) second away
    try:
        clock.now += 2.0  # two periods: the thread would have refreshed, so the request does not
        reader.view()
        assert source.askers == []
        clock.now += 3.0  # past STALE_FACTOR periods: the thread is stuck, the request refreshes itself
        reader.view()
        assert source.askers == ["MainThread"]
    finally:
        stop.set()
        refresher.join()
    clock.now += 1.5  # the thread has stopped: one period suffices again
    reader.view()
    assert source.askers == ["MainThread", "MainThread"]
