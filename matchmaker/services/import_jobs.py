"""Import jobs: a long import runs on a background thread of the worker that received it, and its
record in the graph says how far it got, to any worker or host that is asked.

States: queued -> validating -> writing -> done | failed. `interrupted` is never stored: it is what
an unfinished job shows once its heartbeat is older than `stale_after` seconds (its worker died,
or lost the graph). Imports upsert rows by id, so importing the same file again completes an
interrupted job; rows it wrote are written once more, never twice (docs/OPERATIONS.md).
"""
from __future__ import annotations

import logging
import time
import uuid
from typing import Callable, Protocol

from ..errors import N_, DomainError, NotFound, TooManyRequests
from .imports import ImportReport
from .permissions import Principal, is_manager, require_login

__all__ = ["STATES", "FINISHED", "JobRepo", "Tracker", "new_job", "view", "get_job", "list_jobs",
           "run_job", "runs_as_job"]

STATES = ("queued", "validating", "writing", "done", "failed", "interrupted")
FINISHED = ("done", "failed")
NEXT = {"queued": ("validating", "failed"), "validating": ("writing", "done", "failed"),
        "writing": ("done", "failed")}
STALE_AFTER = 60.0           # seconds without a heartbeat before an unfinished job shows as interrupted
PROGRESS_SECONDS = 1.0       # at most one progress write a second: the job record, not a log
GENERATED_CAP = 2000         # generated ids kept in a job's report (the rest counted)
LIST_LIMIT = 20
MAX_UNFINISHED = 3           # per account: jobs queued or running at once

INTERRUPTED = N_("This import stopped before it finished: the server running it was restarted or lost the "
                 "database. Rows are imported by id, so importing the same file again completes it: rows "
                 "already written are written once more, never twice.")
UNKNOWN = N_("There is no such import job, or it is another account's.")
BUSY = N_("You have three imports waiting or running already: start this one when one of them has finished.")
FAILED = N_("The import failed because of an error on our side; nothing more will be written. Importing the "
            "same file again is safe: rows are imported by id.")

log = logging.getLogger(__name__)
Clock = Callable[[], float]


class JobRepo(Protocol):
    """What jobs need of the graph (graph.import_jobs behind GraphJobs; a dict in unit tests)."""

    def create(self, job: dict) -> None: ...
    def get(self, job_id: str) -> dict | None: ...
    def update(self, job_id: str, changes: dict) -> bool: ...
    def touch(self, job_ids: list[str], now: float) -> int: ...
    def of_owner(self, owner_id: str, limit: int) -> list[dict]: ...


def runs_as_job(size: int, threshold: int, asked: bool | None = None) -> bool:
    """Whether an import of `size` bytes runs as a job: as asked, else when it is over `threshold`."""
    return asked if asked is not None else size > threshold


def new_job(principal: Principal, kind: str, filename: str, mode: str, dry_run: bool, now: float) -> dict:
    return {"id": f"J-{uuid.uuid4().hex}", "kind": kind, "filename": filename, "mode": mode, "dry_run": dry_run,
            "owner_id": principal.id, "enterprise_id": principal.enterprise_id, "state": "queued",
            "rows_total": None, "rows_validated": 0, "rows_accepted": None, "rows_written": 0, "report": None, "error": None,
            "created_at": now, "started_at": None, "finished_at": None, "heartbeat_at": now}


def view(job: dict, now: float, stale_after: float = STALE_AFTER) -> dict:
    """The job as shown: a silent unfinished job is `interrupted`, with the advice to import again."""
    shown = dict(job)
    beat = job.get("heartbeat_at") or job.get("created_at") or 0
    if job["state"] not in FINISHED and now - beat > stale_after:
        shown["state"] = "interrupted"
        shown["error"] = {"message": INTERRUPTED, "fields": {}}
    shown["finished"] = shown["state"] in (*FINISHED, "interrupted")
    return shown


def require_room(repo: JobRepo, principal: Principal, now: float, stale_after: float = STALE_AFTER) -> None:
    """An account keeps at most MAX_UNFINISHED jobs waiting or running (each holds a file on disk and a
    place in the worker's queue); interrupted ones do not count."""
    recent = repo.of_owner(principal.id, LIST_LIMIT)
    if sum(not view(job, now, stale_after)["finished"] for job in recent) >= MAX_UNFINISHED:
        raise TooManyRequests(BUSY)


def may_see(principal: Principal, job: dict) -> bool:
    """The job's owner, officials and admins."""
    return is_manager(principal) or (principal.id is not None and job.get("owner_id") == principal.id)


def get_job(repo: JobRepo, principal: Principal, job_id: str, now: float,
            stale_after: float = STALE_AFTER) -> dict:
    """A job its reader may see; any other answers as absent (no enumeration of others' jobs)."""
    require_login(principal)
    job = repo.get(job_id) if isinstance(job_id, str) and len(job_id) <= 64 else None
    if job is None or not may_see(principal, job):
        raise NotFound(UNKNOWN)
    return view(job, now, stale_after)


def list_jobs(repo: JobRepo, principal: Principal, now: float, stale_after: float = STALE_AFTER,
              limit: int = LIST_LIMIT) -> list[dict]:
    """The account's own recent jobs, newest first."""
    require_login(principal)
    return [view(job, now, stale_after) for job in repo.of_owner(principal.id, limit)]


class Tracker:
    """One running job's record: moves its state and writes its progress, throttled."""

    def __init__(self, repo: JobRepo, job: dict, clock: Clock = time.time, every: float | None = None):
        self.repo, self.job_id, self.state, self.clock = repo, job["id"], job["state"], clock
        self.every = PROGRESS_SECONDS if every is None else every
        self.read = self.written = 0
        self._flushed = float("-inf")

    def move(self, state: str, **changes) -> None:
        if state not in NEXT.get(self.state, ()):
            raise ValueError(f"an import job cannot go from {self.state} to {state}")
        self.state = state
        now = self.clock()
        if state in FINISHED:
            changes["finished_at"] = now
        self.repo.update(self.job_id, {"state": state, "heartbeat_at": now, **changes})
        self._flushed = now

    def start(self) -> None:
        self.move("validating", started_at=self.clock())

    def reading(self, rows: int) -> None:
        self.read += rows
        self._maybe_flush(rows_validated=self.read)

    def checked(self, report: ImportReport) -> None:
        self.move("writing", rows_total=report.rows, rows_validated=report.rows, rows_accepted=report.accepted)

    def writing(self, rows: int) -> None:
        self.written += rows
        self._maybe_flush(rows_written=self.written)

    def finish(self, report: ImportReport) -> None:
        self.move("done", report=bounded(report.as_dict()), rows_total=report.rows, rows_validated=report.rows,
                  rows_written=report.written, rows_accepted=report.accepted)

    def fail(self, message: str, fields: dict | None = None) -> None:
        self.move("failed", error={"message": message, "fields": fields or {}})

    def _maybe_flush(self, **changes) -> None:
        now = self.clock()
        if now - self._flushed >= self.every:
            self._flushed = now
            self.repo.update(self.job_id, {**changes, "heartbeat_at": now})


def bounded(report: dict) -> dict:
    """The report as stored: errors and warnings are capped already (ImportReport); generated ids too."""
    generated = report.get("generated_ids") or []
    return {**report, "generated_ids": generated[:GENERATED_CAP], "generated_ids_total": len(generated)}


def run_job(tracker: Tracker, work: Callable[[Tracker], ImportReport]) -> None:
    """The job's thread: run `work` (an import_file call following the tracker) and record the outcome.

    When even the outcome cannot be written (the graph went away) the heartbeat stops with the
    thread's work, and the job shows as interrupted."""
    try:
        tracker.start()
        report = work(tracker)
    except DomainError as exc:
        _record(tracker.fail, exc.message, exc.fields)
    except Exception:  # noqa: BLE001 - the job says it failed; the log keeps the cause
        log.exception("import job %s failed", tracker.job_id)
        _record(tracker.fail, INTERRUPTED if tracker.state == "writing" else FAILED)
    else:
        _record(tracker.finish, report)


def _record(step: Callable, *args) -> None:
    try:
        step(*args)
    except Exception:  # noqa: BLE001 - graph down: the stale heartbeat tells the story
        log.exception("could not record an import job's outcome")
