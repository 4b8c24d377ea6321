"""Starting import jobs: an upload, or a previewed (staged) one, imported on the job threads.

The file waits on disk in the staged-upload store's directory (within its size limit), not in
memory, while the job is queued; the job runs the same `import_file` as an import in the request.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from graph import import_jobs as job_repo
from graph.db import GraphDB

from ..matching import warm
from . import import_jobs as jobs
from .import_executor import JobExecutor
from .imports import ImportReport, import_file, require_may_import
from .permissions import Principal, require_login
from .staged_uploads import Claim, StagedStore


class GraphJobs:
    """services.import_jobs.JobRepo over graph.import_jobs."""

    def __init__(self, db: GraphDB):
        self.db = db

    def create(self, job: dict) -> None:
        job_repo.create(self.db, job)

    def get(self, job_id: str) -> dict | None:
        return job_repo.get(self.db, job_id)

    def update(self, job_id: str, changes: dict) -> bool:
        return job_repo.update(self.db, job_id, changes)

    def touch(self, job_ids: list[str], now: float) -> int:
        return job_repo.touch(self.db, job_ids, now)

    def of_owner(self, owner_id: str, limit: int) -> list[dict]:
        return job_repo.of_owner(self.db, owner_id, limit)


@dataclass(frozen=True)
class JobContext:
    """What starting a job needs; `vectors` is the store the written rows' texts are warmed in."""
    db: GraphDB
    repo: jobs.JobRepo
    executor: JobExecutor
    store: StagedStore
    home_region: str
    vectors: warm.TextVectors | None = None
    stale_after: float = jobs.STALE_AFTER
    clock: Callable[[], float] = time.time


def submit_upload(ctx: JobContext, principal: Principal, kind: str, data: bytes, filename: str, *,
                  mode: str, dry_run: bool = False) -> dict:
    """Spool the file and queue its import; returns the job as shown."""
    require_login(principal)
    require_may_import(principal, kind)
    jobs.require_room(ctx.repo, principal, ctx.clock(), ctx.stale_after)
    job = jobs.new_job(principal, kind, filename, mode, dry_run, ctx.clock())
    path = ctx.store.spool(f"job-{job['id']}.upload", data)
    return _submit(ctx, principal, job, path, lambda report: path.unlink(missing_ok=True))


def submit_staged(ctx: JobContext, principal: Principal, token: str, *, mode: str) -> dict:
    """Import the owner's previewed upload as a job; as staged_uploads.confirm, the upload is
    consumed when the import is applied and put back otherwise."""
    require_login(principal)
    jobs.require_room(ctx.repo, principal, ctx.clock(), ctx.stale_after)
    claim: Claim = ctx.store.claim(token, principal.id)
    job = jobs.new_job(principal, claim.staged.kind, claim.staged.filename, mode, False, ctx.clock())
    release = lambda report: ctx.store.release(claim, consumed=bool(report and report.applied))  # noqa: E731
    return _submit(ctx, principal, job, claim.path, release)


def _submit(ctx: JobContext, principal: Principal, job: dict, path: Path,
            after: Callable[[ImportReport | None], None]) -> dict:
    try:
        ctx.repo.create(job)
    except BaseException:
        after(None)
        raise
    ctx.executor.submit(job["id"], lambda: _run(ctx, principal, job, path, after))
    return jobs.view(job, ctx.clock())


def _run(ctx: JobContext, principal: Principal, job: dict, path: Path,
         after: Callable[[ImportReport | None], None]) -> None:
    outcome: list[ImportReport] = []

    def work(tracker: jobs.Tracker) -> ImportReport:
        report = import_file(ctx.db, job["kind"], path.read_bytes(), job["filename"], home_region=ctx.home_region,
                             mode=job["mode"], dry_run=job["dry_run"], principal=principal,
                             progress=tracker.writing, reading=tracker.reading, checked=tracker.checked)
        outcome.append(report)
        return report

    token = warm.bind(lambda: ctx.vectors)  # as in a request: written rows are warmed in the background
    try:
        jobs.run_job(jobs.Tracker(ctx.repo, job, ctx.clock), work)
    finally:
        warm.unbind(token)
        after(outcome[0] if outcome else None)
