"""POST /api/v1/imports, the import jobs it may start, and GET /api/v1/exports/<kind>.

With ?async=1 an import answers 202 with the job and its address (Location) and runs in the
background; without it, it runs in the request whatever the size (the API's answer before jobs
existed, which clients rely on). The pages decide by size instead (web/imports.py).
"""
from __future__ import annotations

import time

from flask import Response, current_app, jsonify, request, url_for

from ..errors import Invalid
from .. import import_jobs_runtime as job_runtime
from ..extensions import get_graph
from ..schemas.import_jobs import ImportAsync, ImportJobDump, ImportJobQuery
from ..schemas.imports import ExportQuery, ImportForm
from ..security import current_principal
from ..services.exports import export_file
from ..services import import_jobs, job_imports
from ..services.imports import import_file
from ..services.permissions import require_login
from . import api_bp
from .parsing import load, load_args
from .files import attachment


@api_bp.post("/imports")
def create_import():
    principal = current_principal()
    require_login(principal)
    asked = load_args(ImportAsync())["run_async"]
    form = load(ImportForm(), request.form.to_dict())
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise Invalid("attach the file as multipart field 'file'", {"file": ["missing"]})
    data = upload.read()
    if asked:
        job = job_imports.submit_upload(job_runtime.context(), principal, form["kind"], data, upload.filename,
                                        mode=form["mode"], dry_run=form["dry_run"])
        return jsonify({"data": ImportJobDump().dump(job)}), 202, {
            "Location": url_for("api.import_job", job_id=job["id"])}
    report = import_file(get_graph(), form["kind"], data, upload.filename,
                         home_region=current_app.config["HOME_REGION"], mode=form["mode"],
                         dry_run=form["dry_run"], principal=principal)
    status = 200 if report.applied or form["dry_run"] else 422
    return jsonify({"data": report.as_dict()}), status


@api_bp.get("/import-jobs/<job_id>")
def import_job(job_id: str):
    job = import_jobs.get_job(job_runtime.repo(), current_principal(), job_id, time.time(), job_runtime.stale_after())
    return jsonify({"data": ImportJobDump().dump(job)})


@api_bp.get("/import-jobs")
def list_import_jobs():
    args = load_args(ImportJobQuery())
    jobs = import_jobs.list_jobs(job_runtime.repo(), current_principal(), time.time(), job_runtime.stale_after(),
                                 limit=args["limit"])
    return jsonify({"data": ImportJobDump(many=True).dump(jobs)})


@api_bp.get("/exports/<kind>")
def export(kind: str):
    args = load_args(ExportQuery())
    content, mimetype, filename = export_file(get_graph(), current_principal(), kind,
                                              args["format"], args.get("chain"))
    return Response(content, mimetype=mimetype, headers=attachment(filename))
