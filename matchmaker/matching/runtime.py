"""The matching machinery of one process: index readers, the elected index builder, vectors, engine.

Every web worker maps the same index files (var/index/<kind>/) read-only and keeps
only a small delta of the newest changes; one process per host (whoever holds the
builder lock) writes segments. Nothing starts at import time: the engine and the
builder thread start on first use.
"""
from __future__ import annotations

import logging
import threading
import time
from functools import partial
from pathlib import Path

from ..index import IndexBuilder, IndexReader, read_manifest
from ..index.manifest import EMPTY
from ..index.reader import STALE_FACTOR
from .columns import encode_columns
from .engine import MatchEngine
from .reranker import load_reranker
from .search import prepare_segment
from .source import GraphSource
from .taxonomy_match import CategoryMatcher
from .vectors import VectorStore

KINDS = ("supply", "demand")
SCHEMA_VERSION = 2          # bump when encode_columns changes what segments hold
log = logging.getLogger(__name__)


def published(row: dict) -> bool:
    """The index holds what can be matched: published items only."""
    return not row.get("deleted") and row.get("status") == "published"


class MatchRuntime:
    def __init__(self, db, var_dir: Path, encoder=None, *, builder_thread: bool = True, refresh_ms: int = 500,
                 refresh_thread: bool = True):
        self.db, self.directory = db, Path(var_dir) / "index"
        self.encoder, self.builder_thread, self.refresh_ms = encoder, builder_thread, refresh_ms
        self.refresh_thread = refresh_thread  # off: requests refresh inline every refresh_ms
        self._lock = threading.Lock()
        self._engine: MatchEngine | None = None
        self._generation: int | None = None      # the engine's
        self._seen: int | None = None            # the graph's, as last asked
        self._checked = 0.0
        self._max_age = refresh_ms / 1000        # of `_seen`; longer while a thread keeps it fresh
        self._refreshing = threading.Event()     # set: the refresh threads of the engine before stop
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        # Other per-host background work started with the builders, e.g. the potential keeper
        # (services/potential.py): each a function of the stop event.
        self.background: list = []

    @property
    def vectors(self) -> VectorStore | None:
        if self.encoder is None:
            return None
        if not hasattr(self, "_vectors"):
            self._vectors = VectorStore(self.directory / f"vectors-{_safe(self.encoder.name)}.sqlite3", self.encoder)
        return self._vectors

    def engine(self) -> MatchEngine:
        """The engine over fresh readers; rebuilt when a bulk delete bumped the generation."""
        with self._lock:
            generation = self._current_generation()
            if self._engine is None or generation != self._generation:
                self._generation = generation
                readers = {k: self._reader(k, generation) for k in KINDS}
                self._engine = MatchEngine(readers, self.vectors, load_reranker(self.encoder is not None),
                                           CategoryMatcher.load())
                self._refresh_in_background(list(readers.values()))
                if self.builder_thread:
                    self._start_builders()
            return self._engine

    def _current_generation(self) -> int:
        # As often as the readers look for changes: a bulk delete is seen as soon as a write would be.
        if self._seen is None or time.monotonic() - self._checked >= self._max_age:
            self._ask_generation()
        return self._seen

    def _ask_generation(self) -> None:
        self._seen = GraphSource(self.db, "supply").generation()
        self._checked = time.monotonic()

    def _refresh_in_background(self, readers: list[IndexReader]) -> None:
        """Threads ask the graph for the generation and the readers' changes every `refresh_ms`, so a
        match request does not wait for those reads (at a million items, 3 to 10 ms every half second)."""
        self._refreshing.set()
        if self.refresh_ms <= 0 or not self.refresh_thread:
            return
        self._refreshing = stop = threading.Event()
        for task in (*(r.keep_fresh for r in readers), self._watch_generation):
            threading.Thread(target=task, args=(stop,), daemon=True, name="match-index-refresh").start()

    def _watch_generation(self, stop: threading.Event) -> None:
        period = self.refresh_ms / 1000
        try:
            while not stop.wait(period):
                self._max_age = period * STALE_FACTOR
                try:
                    self._ask_generation()
                except Exception:  # requests ask inline once the answer is STALE_FACTOR periods old
                    log.warning("could not read the index generation", exc_info=True)
        finally:
            self._max_age = period

    def _folder(self, kind: str, generation: int) -> Path:
        return self.directory / f"{kind}-g{generation}"

    def _encode(self):
        vectors = self.vectors
        return partial(encode_columns, vectors_of=vectors.vectors if vectors is not None else None)

    def _reader(self, kind: str, generation: int) -> IndexReader:
        folder = self._folder(kind, generation)
        folder.mkdir(parents=True, exist_ok=True)
        return IndexReader(folder, GraphSource(self.db, kind), refresh_ms=self.refresh_ms, keep=published,
                           encode_rows=self._encode())

    def builder(self, kind: str, progress=None) -> IndexBuilder:
        return IndexBuilder(self._folder(kind, self._generation or 0), GraphSource(self.db, kind), self._encode(),
                            kinds=(kind,), keep=published, schema_version=SCHEMA_VERSION, progress=progress,
                            on_segment=prepare_segment)

    def build(self, kind: str, progress=None) -> None:
        """A full build now (CLI `index build`), under the builder lock."""
        self._generation = self._current_generation()
        builder = self.builder(kind, progress)
        if not builder.lock.acquire():
            raise RuntimeError("another process holds the index builder lock; it keeps the index current")
        try:
            builder.build_full()
        finally:
            builder.lock.release()

    def status(self) -> dict[str, int]:
        """Rows in the published segments, per kind."""
        generation = self._current_generation()
        return {kind: sum(e.rows for e in (read_manifest(self._folder(kind, generation)) or EMPTY).segments)
                for kind in KINDS}

    def describe(self) -> dict[str, str]:
        generation, newest = self._current_generation(), GraphSource(self.db, "supply").max_seq()
        lines = {}
        for kind in KINDS:
            manifest = read_manifest(self._folder(kind, generation)) or EMPTY
            lines[kind] = (f"{sum(e.rows for e in manifest.segments)} rows in {len(manifest.segments)} segments, "
                           f"up to change {manifest.seq} of {newest} (generation {generation})")
        return lines

    def _start_builders(self) -> None:
        self._stop.set()
        self._stop = threading.Event()
        self._threads = []
        for kind in KINDS:
            thread = threading.Thread(target=self.builder(kind).run, args=(self._stop,), daemon=True,
                                      name=f"index-builder-{kind}")
            thread.start()
            self._threads.append(thread)
        for task in self.background:
            thread = threading.Thread(target=task, args=(self._stop,), daemon=True, name=getattr(task, "__qualname__", "task"))
            thread.start()
            self._threads.append(thread)

    def close(self) -> None:
        self._stop.set()
        self._refreshing.set()


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)
