"""The potential rate's verdicts, kept current off the request path.

An open demand item not served locally counts toward the potential when its best suggestion is
local, holds every required certification and fits at least GOOD. Deciding that asks the matching
engine once per item (about 15,000 items in the largest chain at a million items, minutes of CPU),
so the verdicts are stored (graph.potential) and kept current by one keeper per host, a background
thread elected by a file lock like the index builder:
- an item never checked, or edited since its check, is checked within seconds;
- every verdict is redone at least every POTENTIAL_RECHECK_SECONDS (1 h by default), which is how a
  new or changed supplier reaches the potential of items nobody edited.
A request checks at most INLINE_BUDGET due items itself (a small scope, or one just edited, is exact
at once) and reads the stored verdicts for the rest; the snapshot job completes every check first.
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

INLINE_BUDGET = 50
BATCH = 200
IDLE_SECONDS = 5.0
log = logging.getLogger(__name__)


def fits_locally(best: list) -> bool:
    """The rule: the best suggestion is local, fully qualified and at least a good fit."""
    return bool(best) and best[0].local and not best[0].missing_certifications and best[0].score >= GOOD_FIT


def check(engine, demands: list[dict]) -> dict[str, bool]:
    return {d["id"]: fits_locally(engine.suppliers_for(dict(d), Filters(), limit=1)) for d in demands}


def refresh(db: GraphDB, runtime, chain_id: str | None, limit: int, before: str | None = None) -> int:
    """Check up to `limit` due items of the scope and keep the verdicts; returns how many were checked."""
    seq = potential_repo.current_seq(db)  # read first: an edit racing the check makes the item due again
    demands = potential_repo.due(db, chain_id, limit, before)
    if demands:
        potential_repo.save(db, check(runtime.engine(), demands), seq, stamp())
    return len(demands)


def local_ids(db: GraphDB, runtime, chain_id: str | None, budget: int = INLINE_BUDGET) -> set[str]:
    """For a request: ids of the scope's items counted in the potential (none without an engine)."""
    if runtime is None:
        return set()
    if budget:
        refresh(db, runtime, chain_id, budget)
    return potential_repo.local_ids(db, chain_id)


def due_count(db: GraphDB, chain_id: str | None = None) -> int:
    """Items whose verdict is missing or older than their last edit."""
    return potential_repo.count_due(db, chain_id)


def complete(db: GraphDB, runtime, chain_id: str | None = None,
             progress: Callable[[int], None] | None = None) -> set[str]:
    """Every due item checked, then the ids (the monthly snapshot, the CLI)."""
    while checked := refresh(db, runtime, chain_id, BATCH):
        if progress:
            progress(checked)
    return potential_repo.local_ids(db, chain_id)


class PotentialKeeper:
    """The background thread of one process per host: checks due items, then the oldest verdicts."""

    def __init__(self, db: GraphDB, runtime, directory: Path, recheck_seconds: float) -> None:
        self.db, self.runtime, self.recheck = db, runtime, timedelta(seconds=recheck_seconds)
        self.lock = BuilderLock(directory)

    def run_once(self, now: datetime | None = None) -> int:
        before = stamp((now or datetime.now(timezone.utc)) - self.recheck)
        return refresh(self.db, self.runtime, None, BATCH, before)

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
