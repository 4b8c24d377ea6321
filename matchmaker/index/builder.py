"""The one builder per host: full builds, incremental segments, compaction, consistency checks.

Segments are written (1) by a full build when there is no index, its schema version changed or
it diverged from the source; (2) every `interval` seconds for the changes since the manifest's
seq, as one small segment, with the rows they supersede marked deleted in older segments;
(3) by compaction when there are more than `max_segments`.
"""
from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Callable

import numpy as np

from .election import BuilderLock
from .manifest import EMPTY, Manifest, SegmentEntry, publish, read_manifest, write_deletes
from .merge import concat, plan_merge, take_rows
from .segment import Segment, new_segment_name, write_segment
from .snapshot import Snapshot, with_system_columns
from .source import ChangeSource, keep_unless_deleted

log = logging.getLogger(__name__)


class IndexBuilder:
    def __init__(self, directory: Path, source: ChangeSource, encode_rows: Callable[[list[dict]], dict], *,
                 kinds: tuple[str, ...] = (), keep: Callable[[dict], bool] = keep_unless_deleted,
                 segment_rows: int = 100_000, batch_size: int = 10_000, max_segments: int = 10,
                 schema_version: int = 1, progress: Callable[[int], None] | None = None,
                 on_segment: Callable[[Segment], None] | None = None) -> None:
        self.directory = Path(directory)
        self.source, self.encode_rows, self.kinds, self.keep = source, encode_rows, kinds, keep
        self.segment_rows, self.batch_size, self.max_segments = segment_rows, batch_size, max_segments
        self.schema_version, self.progress = schema_version, progress
        self.on_segment = on_segment  # derives a new segment's side files before the manifest names it
        self.lock = BuilderLock(self.directory)
        (self.directory / "segments").mkdir(parents=True, exist_ok=True)

    def manifest(self) -> Manifest:
        return read_manifest(self.directory) or EMPTY

    def build_full(self) -> Manifest:
        """Scan the whole source into new segments of at most `segment_rows` rows and publish them."""
        current, seq = self.manifest(), self.source.max_seq()
        entries, pending = [], []
        for batch in self.source.scan(self.batch_size):
            pending.extend(r for r in batch if self.keep(r))
            while len(pending) >= self.segment_rows:
                entries.append(self._write(pending[:self.segment_rows], current.generation + 1))
                pending = pending[self.segment_rows:]
            if self.progress:
                self.progress(len(batch))
        if pending:
            entries.append(self._write(pending, current.generation + 1))
        manifest = Manifest(current.generation + 1, seq, tuple(entries), self.schema_version)
        publish(self.directory, manifest)
        return manifest

    def update(self) -> Manifest | None:
        """Publish the changes since the manifest's seq (up to `segment_rows` of them); None if none."""
        snapshot = Snapshot(self.directory, read_manifest(self.directory))
        rows, seq = [], snapshot.seq
        while len(rows) < self.segment_rows:
            page = self.source.changes_since(seq, self.batch_size)
            rows.extend(page)
            seq = max([seq] + [int(r["seq"]) for r in page])
            if len(page) < self.batch_size:
                break
        if not rows:
            return None
        latest = {r["id"]: r for r in rows}
        deleted = {}
        for item_id, change in list(latest.items()):
            found = snapshot.find(item_id)
            if found and int(snapshot.segments[found[0]]["seq"][found[1]]) > int(change["seq"]):
                del latest[item_id]  # a full build's scan already read a newer version
            elif found:
                deleted.setdefault(found[0], np.array(snapshot.deleted[found[0]]))[found[1]] = True
        entries = [self._with_deletes(e, deleted.get(i)) for i, e in enumerate(snapshot.manifest.segments)]
        kept = [r for r in latest.values() if self.keep(r)]
        if kept:
            entries.append(self._write(kept, snapshot.manifest.generation + 1))
        manifest = snapshot.manifest.next(seq, entries)
        publish(self.directory, manifest)
        return manifest

    def compact(self) -> Manifest | None:
        """Merge small segments' live rows into one when there are more than `max_segments`."""
        snapshot = Snapshot(self.directory, read_manifest(self.directory))
        masks = [snapshot.live_mask(i) for i in range(len(snapshot.segments))]
        chosen = plan_merge([int(m.sum()) for m in masks], self.max_segments, self.segment_rows)
        if not chosen:
            return None
        parts = [take_rows(snapshot.segments[i], np.flatnonzero(masks[i])) for i in chosen]
        entries = [e for i, e in enumerate(snapshot.manifest.segments) if i not in chosen]
        merged = concat(parts)
        if len(merged["id"]):
            name = new_segment_name(snapshot.manifest.generation + 1)
            self._prepared(write_segment(self.directory / "segments", name, merged))
            entries.append(SegmentEntry(name, len(merged["id"])))
        manifest = snapshot.manifest.next(snapshot.seq, entries)
        publish(self.directory, manifest)
        return manifest

    def check(self) -> bool | None:
        """Compare counts and checksums per kind with the source; rebuild when they differ.

        True: consistent; False: diverged and rebuilt; None: writes kept coming, try later.
        """
        target = self.source.max_seq()
        while self.manifest().seq < target and self.update():
            pass
        snapshot = Snapshot(self.directory, read_manifest(self.directory))
        diverged = [k for k in self.kinds if self.source.checksum(k) != snapshot.checksum(k)]
        if self.source.max_seq() != target or snapshot.seq < target:
            return None
        if not diverged:
            return True
        log.warning("index diverged from the source for %s: rebuilding", ", ".join(diverged))
        self.build_full()
        return False

    def step(self, check: bool = False) -> None:
        """One round of the holder's work."""
        current = read_manifest(self.directory)
        if current is None or current.schema_version != self.schema_version:
            self.build_full()
            return
        self.update()
        self.compact()
        if check:
            self.check()

    def run(self, stop: threading.Event, interval: float = 2.0, check_every: float = 600.0) -> None:
        """Until `stop`: try for the builder lock; while held, do a round every `interval` s."""
        next_check = time.monotonic() + check_every
        try:
            while not stop.is_set():
                if self.lock.acquire():
                    due = time.monotonic() >= next_check
                    try:
                        self.step(check=due)
                    except Exception:  # the graph may be away for a while: try again next round
                        log.exception("index builder round failed")
                    next_check = next_check + check_every if due else next_check
                stop.wait(interval)
        finally:
            self.lock.release()

    def _write(self, rows: list[dict], generation: int) -> SegmentEntry:
        columns = with_system_columns(self.encode_rows(rows), rows)
        name = new_segment_name(generation)
        self._prepared(write_segment(self.directory / "segments", name, columns))
        return SegmentEntry(name, len(rows))

    def _prepared(self, path: Path) -> None:
        if self.on_segment is not None:
            self.on_segment(Segment(path))

    def _with_deletes(self, entry: SegmentEntry, deleted) -> SegmentEntry:
        if deleted is None:
            return entry
        return SegmentEntry(entry.name, entry.rows, write_deletes(self.directory, entry.name, deleted))
