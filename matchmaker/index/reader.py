"""Every worker's view of the index: the mapped segments of the newest manifest plus a delta.

`IndexReader.view()` returns an immutable `View`. At most every `refresh_ms` it stats the
manifest (reopening when it changed) and asks the change source for rows newer than what it
holds; those rows form the per-process delta and override older rows with the same id, so a
write shows in every worker before the builder publishes a segment for it.

A refresh asks the graph (milliseconds at a million items), so a process that serves requests
refreshes from a thread (`keep_fresh`) and `view()` only returns the current view; it refreshes
inline only when that thread has not for `STALE_FACTOR` periods (stopped, or the graph is slow).
"""
from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Callable

from .manifest import MANIFEST, read_manifest
from .snapshot import Snapshot
from .source import ChangeSource, keep_unless_deleted
from .view import View

_OPEN_TRIES = 3
STALE_FACTOR = 4  # periods a background-refreshed view may age before a request refreshes it itself
log = logging.getLogger(__name__)


class IndexReader:
    """Read-only access for one process; thread-safe (a refresh swaps in a new View)."""

    def __init__(self, directory: Path, source: ChangeSource | None = None, *, refresh_ms: int = 500,
                 keep: Callable[[dict], bool] = keep_unless_deleted, encode_rows=None,
                 max_delta: int = 50_000, page: int = 5_000, clock=time.monotonic) -> None:
        self.directory = Path(directory)
        self.source, self.keep, self.encode_rows = source, keep, encode_rows
        self.refresh_s, self.max_delta, self.page, self.clock = refresh_ms / 1000, max_delta, page, clock
        self._lock = threading.Lock()
        self._stamp = None
        self._checked = None
        self._inline_after = self.refresh_s  # longer while keep_fresh runs
        self._view = View(Snapshot(self.directory, None), {}, 0, keep, encode_rows)
        self.refresh(force=True)

    def view(self) -> View:
        """The current view, refreshed first when the last check is older than `refresh_ms`
        (or, while `keep_fresh` runs, than STALE_FACTOR times that)."""
        self.refresh(max_age=self._inline_after)
        return self._view

    def keep_fresh(self, stop: threading.Event) -> None:
        """Refresh every `refresh_ms` until `stop` is set, so that requests do not wait for the graph."""
        self._inline_after = self.refresh_s * STALE_FACTOR
        try:
            while not stop.wait(self.refresh_s):
                try:
                    self.refresh(force=True)
                except Exception:  # the next round tries again; requests refresh inline meanwhile
                    log.warning("index reader could not refresh", exc_info=True)
        finally:
            self._inline_after = self.refresh_s

    def refresh(self, force: bool = False, max_age: float | None = None) -> None:
        max_age = self.refresh_s if max_age is None else max_age
        now = self.clock()
        if not force and self._checked is not None and now - self._checked < max_age:
            return
        with self._lock:
            if not force and self._checked is not None and self.clock() - self._checked < max_age:
                return  # another thread refreshed while this one waited
            self._checked = now
            snapshot = self._reopen_if_changed() or self._view.snapshot
            delta, delta_seq, behind = self._poll(snapshot)
            old = self._view
            if snapshot is old.snapshot and delta_seq == old.delta_seq and behind == old.behind:
                return  # nothing new: keep the view, and what it computed (masks, encoded delta)
            self._view = View(snapshot, delta, delta_seq, self.keep, self.encode_rows, behind, self._view)

    def _reopen_if_changed(self) -> Snapshot | None:
        for attempt in range(_OPEN_TRIES):
            stamp = _stat(self.directory / MANIFEST)
            if stamp == self._stamp:
                return None
            try:
                snapshot = Snapshot(self.directory, read_manifest(self.directory))
            except FileNotFoundError:  # a builder removed files of a manifest two generations old
                if attempt == _OPEN_TRIES - 1:
                    raise
                continue
            self._stamp = stamp
            return snapshot
        return None

    def _poll(self, snapshot: Snapshot) -> tuple[dict, int, bool]:
        old = self._view
        delta = {i: r for i, r in old.delta.items() if r["seq"] > snapshot.seq}
        seq = max(old.delta_seq, snapshot.seq)
        if self.source is None:
            return delta, seq, False
        while len(delta) < self.max_delta:
            try:
                rows = self.source.changes_since(seq, self.page)
            except Exception:  # the graph may be away: serve what we have, marked incomplete
                log.warning("index reader could not read changes since %s", seq, exc_info=True)
                return delta, seq, True
            for row in rows:
                delta[row["id"]] = row
                seq = max(seq, int(row["seq"]))
            if len(rows) < self.page:
                return delta, seq, False
        return delta, seq, True  # too far behind the builder: the caller should not trust the view


def _stat(path: Path):
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size
