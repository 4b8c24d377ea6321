"""The potential rate's verdicts, kept current off the request path.

An open demand item not served locally counts toward the potential when its best suggestion is
local, holds every required certification and fits at least GOOD. Deciding that asks the matching
engine once per item (about 15,000 items in the largest chain at a million items, minutes of CPU),
so the verdicts are stored (graph.potential) and kept current by one keeper per host, a background
thread elected by a file lock like the index builder:
- an item never checked, or edited since its check, is checked within seconds;
- every verdict is redone at least every POTENTIAL_RECHECK_SECONDS (1 h by default), which is how a
  new or changed supplier reaches the potential of items nobody edited.
The verdicts arrive with the localization projection (graph.localization: one read), so a request
only adds work when some of its items are due: it checks them itself for at most INLINE_SECONDS (a
small scope, or an item just published or edited, is exact at once) and leaves the rest to the keeper;
the snapshot job completes every check first.
"""
from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

from graph import potential as potential_repo
from graph.db import GraphDB

from ..index.election import BuilderLock
from ..matching.engine import Filters
from ..matching.ranking import GOOD_FIT
from ..timestamps import stamp

INLINE_SECONDS = 0.1   # a request's own checking, a batch at a time
INLINE_BATCH = 5
BATCH = 200            # the keeper's and the snapshot job's
# Due items the keeper reads at once, then checks BATCH at a time: finding them reads every open item
# (2.2 to 2.9 s of the graph server's CPU at 1M items), so it should not run for every batch.
PREFETCH = 2_000
IDLE_SECONDS = 60.0    # between looks when nothing was due: a look reads every open item (seconds at 1M)
log = logging.getLogger(__name__)


def fits_locally(best: list) -> bool:
    """The rule: the best suggestion is local, fully qualified and at least a good fit."""
    return bool(best) and best[0].local and not best[0].missing_certifications and best[0].score >= GOOD_FIT


def check(engine, demands: list[dict]) -> dict[str, bool]:
    ranked = engine.suppliers_for_many([dict(d) for d in demands], Filters(), limit=1)
    return {d["id"]: fits_locally(best) for d, best in zip(demands, ranked)}


def _check_and_keep(db: GraphDB, runtime, read: Callable[[], list[dict]]) -> dict[str, bool]:
    seq = potential_repo.current_seq(db)  # read first: an edit racing the check makes the item due again
    verdicts = check(runtime.engine(), read())
    potential_repo.save(db, verdicts, seq, stamp())
    return verdicts


def refresh(db: GraphDB, runtime, chain_id: str | None, limit: int, before: str | None = None) -> int:
    """Check up to `limit` due items of the scope and keep the verdicts; returns how many were checked."""
    return len(_check_and_keep(db, runtime, lambda: potential_repo.due(db, chain_id, limit, before)))


def ids_from_projection(db: GraphDB, runtime, rows: list[dict], seconds: float = INLINE_SECONDS) -> set[str]:
    """The potential's item ids for a localization projection's rows (none without an engine): the kept
    verdicts, with due items of the rows checked now for up to `seconds`."""
    if runtime is None:
        return set()
    open_items = [r for r in rows if r.get("demand_id") and r.get("status") == "published" and not r.get("served")]
    kept = {r["demand_id"] for r in open_items if r.get("potential") and not r.get("potential_due")}
    due = list(dict.fromkeys(r["demand_id"] for r in open_items if r.get("potential_due")))
    fresh = check_for(db, runtime, due, seconds) if due else {}
    return kept | {i for i, local in fresh.items() if local}


def check_for(db: GraphDB, runtime, ids: list[str], seconds: float) -> dict[str, bool]:
    """Check these items a batch at a time until `seconds` have passed; keep and return the verdicts."""
    started, out = time.monotonic(), {}
    for start in range(0, len(ids), INLINE_BATCH):
        out.update(_check_and_keep(db, runtime, lambda: potential_repo.demands(db, ids[start:start + INLINE_BATCH])))
        if time.monotonic() - started >= seconds:
            break
    return out


def due_count(db: GraphDB, chain_id: str | None = None) -> int:
    """Items whose verdict is missing or older than their last edit."""
    return potential_repo.count_due(db, chain_id)


def complete(db: GraphDB, runtime, chain_id: str | None = None,
             progress: Callable[[int], None] | None = None) -> None:
    """Check every due item of the scope (the monthly snapshot, the CLI)."""
    while checked := refresh(db, runtime, chain_id, BATCH):
        if progress:
            progress(checked)


class PotentialKeeper:
    """The background thread of one process per host: checks due items, then the oldest verdicts."""

    def __init__(self, db: GraphDB, runtime, directory: Path, recheck_seconds: float) -> None:
        self.db, self.runtime, self.recheck = db, runtime, timedelta(seconds=recheck_seconds)
        self.lock = BuilderLock(directory)
        self._queue: list[str] = []  # due item ids read ahead, oldest verdict first

    def run_once(self, now: datetime | None = None) -> int:
        """Check the next BATCH due items; returns how many were checked (0: nothing was due)."""
        if not self._queue:
            before = stamp((now or datetime.now(timezone.utc)) - self.recheck)
            self._queue = [d["id"] for d in potential_repo.due(self.db, None, PREFETCH, before)]
        batch, self._queue = self._queue[:BATCH], self._queue[BATCH:]
        # The items are read again now, after the change number: an edit since the read-ahead is seen.
        return len(_check_and_keep(self.db, self.runtime, lambda: potential_repo.demands(self.db, batch)))

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            if not self.lock.held:
                if not self.lock.acquire():
                    stop.wait(30.0)  # another worker of this host keeps the verdicts
                    continue
                log.info("this process keeps the potential rate's verdicts (pid lock %s)", self.lock.path)
            started = time.monotonic()
            try:
                checked = self.run_once()
            except Exception:  # the graph may be restarting: try again later
                log.warning("potential keeper: checking failed", exc_info=True)
                checked = 0
            # Idle when nothing is due; otherwise rest as long as the batch took, leaving the worker
            # at least half its CPU for requests.
            stop.wait(IDLE_SECONDS if not checked else time.monotonic() - started)
