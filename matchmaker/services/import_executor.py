"""The import jobs' threads in one worker process: a bounded pool, and one heartbeat for all its jobs.

`threads` jobs run at once (1 by default: an import is mostly graph writes, and a worker keeps its
other threads for pages); more wait in the pool's queue, queued on the job record too. Every
`interval` seconds one thread refreshes the heartbeat of every job this process holds, queued or
running, so a job whose process died shows as interrupted (services.import_jobs.view).
The pool is made on first use and again after a fork (gunicorn forks after import).
"""
from __future__ import annotations

import logging
import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Callable

log = logging.getLogger(__name__)
Beat = Callable[[list[str]], object]


class JobExecutor:
    def __init__(self, beat: Beat, threads: int = 1, interval: float = 5.0):
        self.beat, self.threads, self.interval = beat, threads, interval
        self._pool: ThreadPoolExecutor | None = None
        self._pid: int | None = None
        self._live: set[str] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()

    def submit(self, job_id: str, work: Callable[[], None]) -> Future:
        with self._lock:
            if self._pool is None or self._pid != os.getpid():
                self._start()
            self._live.add(job_id)
            return self._pool.submit(self._run, job_id, work)

    def live(self) -> list[str]:
        with self._lock:
            return sorted(self._live)

    def shutdown(self, wait: bool = True) -> None:
        """Stop beating and let the running and queued jobs finish (tests; a clean worker exit)."""
        self._stop.set()
        if self._pool is not None and self._pid == os.getpid():
            self._pool.shutdown(wait=wait)

    def _start(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=self.threads, thread_name_prefix="import-job")
        self._pid, self._live, self._stop = os.getpid(), set(), threading.Event()
        threading.Thread(target=self._beat_loop, args=(self._stop,), daemon=True, name="import-heartbeat").start()

    def _run(self, job_id: str, work: Callable[[], None]) -> None:
        try:
            work()
        finally:
            with self._lock:
                self._live.discard(job_id)

    def _beat_loop(self, stop: threading.Event) -> None:
        while not stop.wait(self.interval):
            ids = self.live()
            if not ids:
                continue
            try:
                self.beat(ids)
            except Exception:  # noqa: BLE001 - the graph is away: the next beat tries again
                log.warning("import job heartbeat failed", exc_info=True)
