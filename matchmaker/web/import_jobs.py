"""An import job's page: its state and progress while it runs (the page reloads itself every two
seconds with a meta refresh: no script, as the CSP wants), then the import's report."""
from __future__ import annotations

import time
from types import SimpleNamespace

from flask import render_template

from .. import import_jobs_runtime as job_runtime
from ..schemas.import_jobs import ImportJobDump
from ..security import current_principal
from ..services import import_jobs
from . import web_bp

REFRESH_SECONDS = 2


@web_bp.get("/imports/jobs/<job_id>")
def import_job(job_id: str):
    job = import_jobs.get_job(job_runtime.repo(), current_principal(), job_id, time.time(), job_runtime.stale_after())
    report = report_view(job["report"]) if job.get("report") else None
    return render_template("import_job.html", job=ImportJobDump().dump(job), report=report, staged=None,
                           step="result", form={}, refresh=None if job["finished"] else REFRESH_SECONDS)


def report_view(report: dict) -> SimpleNamespace:
    """A stored report (ImportReport.as_dict) in the shape the report template reads."""
    return SimpleNamespace(
        filename=report.get("filename", ""), applied=report.get("applied", False), rows=report.get("rows", 0),
        accepted=report.get("accepted", 0), rejected_rows=report.get("rejected", 0),
        written=report.get("written", 0), errors=[SimpleNamespace(**e) for e in report.get("errors", [])],
        errors_total=report.get("errors_total", 0), stopped_at=report.get("stopped_at_row"),
        warnings=report.get("warnings", []), warnings_total=report.get("warnings_total", 0),
        generated_ids=[(g["row"], g["id"]) for g in report.get("generated_ids", [])],
        generated_total=report.get("generated_ids_total"))
