"""The list index of one process: a reader per kind, the elected builder, old generations swept.

Each kind has `var/index/lists-<kind>-g<generation>/`, built by `matchmaker.index` from the
list change feed (graph/item_feed.py); every worker maps it read-only and keeps only the
delta of changes newer than its manifest. A delete bumps the generation: the next query
moves to a new directory (Cypher answers until it is built), and the supervisor thread
starts that directory's builder and removes the older ones. Nothing starts at import; the
warm-up starts the supervisor.
"""
from __future__ import annotations

import logging
import shutil
import threading
from pathlib import Path

from graph import item_feed
from graph.db import GraphDB

from ..index import IndexBuilder, IndexReader, View, read_manifest
from .catalog import ListCatalog
from .columns import encode_rows
from .source import ListSource

KINDS = ("supply", "demand")
SCHEMA_VERSION = 3          # bump when encode_rows changes what segments hold (3: the `enterprise` column)
log = logging.getLogger(__name__)


class ListIndexes:
    def __init__(self, db: GraphDB, var_dir: Path, *, builder_thread: bool = True, interval: float = 2.0,
                 segment_rows: int = 100_000) -> None:
        self.db, self.directory = db, Path(var_dir) / "index"
        self.builder_thread, self.interval, self.segment_rows = builder_thread, interval, segment_rows
        self._lock = threading.Lock()
        self._readers: dict[str, tuple[int, IndexReader | None]] = {}
        self._catalogs = {kind: ListCatalog(db, kind, self.view) for kind in KINDS}
        self._supervisor: threading.Thread | None = None
        self._stop = threading.Event()

    def catalog(self, kind: str) -> ListCatalog:
        return self._catalogs[kind]

    def view(self, kind: str) -> tuple[int, View | None]:
        """(generation, a fresh view), or (generation, None) while the index cannot answer."""
        generation = item_feed.generation(self.db)  # every query: a delete shows on the next request
        with self._lock:
            known, reader = self._readers.get(kind, (None, None))
            if known != generation or reader is None:
                reader = self._open(kind, generation)
                self._readers[kind] = (generation, reader)
        if reader is None:
            return generation, None
        view = reader.view()
        return generation, None if view.behind else view

    def _open(self, kind: str, generation: int) -> IndexReader | None:
        folder = self.folder(kind, generation)
        manifest = read_manifest(folder)
        if manifest is None or manifest.schema_version != SCHEMA_VERSION:
            return None  # not built, or built with other columns (the builder is rebuilding): Cypher answers
        # refresh_ms=0: the reader reads the change feed on every query, as the lists promise.
        return IndexReader(folder, ListSource(self.db, kind), refresh_ms=0, encode_rows=encode_rows)

    def folder(self, kind: str, generation: int) -> Path:
        return self.directory / f"lists-{kind}-g{generation}"

    def builder(self, kind: str, generation: int, progress=None) -> IndexBuilder:
        return IndexBuilder(self.folder(kind, generation), ListSource(self.db, kind), encode_rows, kinds=(kind,),
                            schema_version=SCHEMA_VERSION, segment_rows=self.segment_rows, progress=progress)

    def build(self, kind: str, progress=None) -> None:
        """A full build of the current generation now (tests, benchmarks), under the builder lock."""
        builder = self.builder(kind, item_feed.generation(self.db), progress)
        if not builder.lock.acquire():
            raise RuntimeError("another process holds the list index builder lock; it keeps the index current")
        try:
            builder.build_full()
        finally:
            builder.lock.release()

    def start(self) -> None:
        """Start the builder supervisor once per process (when builder threads are on): the warm-up
        (matchmaker/warmup.py) calls this as a worker boots or on its first request."""
        if not self.builder_thread or self._supervisor is not None:
            return
        with self._lock:
            if self._supervisor is None:
                self._supervisor = threading.Thread(target=self._supervise, daemon=True, name="list-index")
                self._supervisor.start()

    def close(self) -> None:
        self._stop.set()

    def _supervise(self) -> None:
        """Every `interval` s: follow the generation with builders of its own (they take turns for the lock)."""
        current, stop = None, threading.Event()
        while not self._stop.is_set():
            try:
                generation = item_feed.generation(self.db)
                if generation != current:
                    stop.set()
                    stop, current = threading.Event(), generation
                    for kind in KINDS:
                        threading.Thread(target=self.builder(kind, generation).run, args=(stop,), daemon=True,
                                         name=f"list-builder-{kind}").start()
                    self._sweep(generation)
            except Exception:  # the graph may be starting or away: try again next round
                log.warning("list index supervisor round failed", exc_info=True)
            self._stop.wait(self.interval)
        stop.set()

    def _sweep(self, generation: int) -> None:
        """Remove older generations' directories (a mapping outlives the unlink of its file)."""
        for kind in KINDS:
            for old in self.directory.glob(f"lists-{kind}-g*"):
                number = old.name.rsplit("-g", 1)[1]
                if number.isdigit() and int(number) < generation:
                    shutil.rmtree(old, ignore_errors=True)
