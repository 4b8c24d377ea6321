"""The app's import jobs: the worker's job threads, the staged-upload store, a job context per request."""
from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

from flask import Flask, current_app

from .matching import warm
from .services.import_executor import JobExecutor
from .services.import_jobs import runs_as_job
from .services.job_imports import GraphJobs, JobContext
from .services.staged_uploads import StagedStore


def init_app(app: Flask) -> None:
    """Staged uploads and job files live in the var dir (VAR_DIR) unless STAGED_UPLOADS_DIR says otherwise.
    The executor starts its threads on the first job only."""
    app.config.setdefault("STAGED_UPLOADS_DIR", str(Path(app.config["VAR_DIR"]) / "staged-uploads"))
    repo = GraphJobs(app.extensions["graph"])
    app.extensions["import_jobs"] = JobExecutor(lambda ids: repo.touch(ids, time.time()),
                                                threads=app.config["IMPORT_JOB_THREADS"],
                                                interval=app.config["IMPORT_JOB_HEARTBEAT_SECONDS"])


def store() -> StagedStore:
    config = current_app.config
    return StagedStore(config["STAGED_UPLOADS_DIR"], max_bytes=config.get("MAX_CONTENT_LENGTH"),
                       ttl=timedelta(seconds=config["STAGED_UPLOADS_TTL_SECONDS"]))


def repo() -> GraphJobs:
    return GraphJobs(current_app.extensions["graph"])


def context() -> JobContext:
    """Inside a request: the bound vector store goes with the job (matching.warm)."""
    return JobContext(current_app.extensions["graph"], repo(), current_app.extensions["import_jobs"], store(),
                      current_app.config["HOME_REGION"], warm.bound(), stale_after())


def as_job(size: int) -> bool:
    """The pages' choice: a file over IMPORT_JOB_MIN_BYTES imports as a job."""
    return runs_as_job(size, current_app.config["IMPORT_JOB_MIN_BYTES"])


def stale_after() -> float:
    return float(current_app.config["IMPORT_JOB_STALE_SECONDS"])
