"""`publish_alerts`: the item services call it after an item's write transaction has committed.

What alerts need (the app's graph, the process's matching engine, the threshold) is an
`Alerting` made once per app and bound per request by the web layer (`bind` / `unbind`,
matchmaker/web/notifications.py) in a context variable, so the item services keep their
signatures and stay free of Flask. Outside a request (CLI, bulk imports, service tests) nothing
is bound and no alert is sent.

Finding the fitting firms encodes the demand's text (tens of milliseconds on an idle core,
seconds on a busy one), so by default it runs on one background thread per process, after the
response: the write never waits for it and never fails because of it (errors are logged).
"""
from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from typing import Callable

from graph import item_feed
from graph.db import GraphDB

from ..timestamps import stamp
from .alerts import becomes_published, send_demand_alerts
from .store import GraphStore

log = logging.getLogger(__name__)


@dataclass
class Alerting:
    db: GraphDB | None               # the app's graph: where notifications and item names are
    fits: Callable[[dict], list]     # demand item -> candidate supply items with .item_id, .enterprise_id, .fit
    min_fit: float
    background: bool = False
    _executor: ThreadPoolExecutor | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def over(cls, db: GraphDB, runtime, min_fit: float, background: bool = True) -> "Alerting":
        """Fits from the process's MatchRuntime: published supply items of other firms."""
        from ..matching.engine import Filters

        def fits(demand: dict) -> list:
            return runtime.engine().item_fits("supply", demand, Filters(exclude_enterprise=demand.get("enterprise_id")))
        return cls(db, fits, min_fit, background)

    def run(self, job: Callable[..., int], *args) -> int:
        """Run now, or queue on the alert thread (created on first use: after gunicorn forked)."""
        if not self.background:
            return job(*args)
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="alerts")
        self._executor.submit(job, *args)
        return 0

    def drain(self, timeout: float = 120.0) -> None:
        """Wait until every queued alert has run (tests; one worker thread runs them in order)."""
        if self._executor is not None:
            self._executor.submit(lambda: None).result(timeout)


_CURRENT: ContextVar[Alerting | None] = ContextVar("alerting", default=None)


def bind(alerting: Alerting) -> Token:
    return _CURRENT.set(alerting)


def unbind(token: Token) -> None:
    _CURRENT.reset(token)


def publish_alerts(kind: str, item: dict, previous_status: str | None = None) -> int:
    """Alert the SMEs fitting a demand item that has just become published.

    Returns the notifications stored, or 0 when none are due or the alert was queued."""
    alerting = _CURRENT.get()
    if alerting is None or not becomes_published(kind, item, previous_status):
        return 0
    return alerting.run(_alert, alerting, item)


def _alert(alerting: Alerting, demand: dict) -> int:
    db = alerting.db
    try:
        fits = [f for f in alerting.fits(demand) if f.fit >= alerting.min_fit]
        names = {i["id"]: i.get("name") or "" for i in item_feed.items_by_ids(db, "supply", [f.item_id for f in fits])}
        return send_demand_alerts(GraphStore(db), demand, fits, names, alerting.min_fit, stamp(precise=True))
    except Exception:  # noqa: BLE001 - the item is saved; a failed alert is logged, never the request's error
        log.exception("demand alerts for %s failed", demand.get("id"))
        return 0
