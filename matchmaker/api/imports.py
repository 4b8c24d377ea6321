"""POST /api/v1/imports and GET /api/v1/exports/<kind>."""
from __future__ import annotations

from flask import Response, current_app, jsonify, request

from ..errors import Invalid
from ..extensions import get_graph
from ..schemas.imports import ExportQuery, ImportForm
from ..security import current_principal
from ..services.exports import export_file
from ..services.imports import import_file
from ..services.permissions import require_login
from . import api_bp
from .parsing import load, load_args
from .files import attachment


@api_bp.post("/imports")
def create_import():
    principal = current_principal()
    require_login(principal)
    form = load(ImportForm(), request.form.to_dict())
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise Invalid("attach the file as multipart field 'file'", {"file": ["missing"]})
    report = import_file(get_graph(), form["kind"], upload.read(), upload.filename,
                         home_region=current_app.config["HOME_REGION"], mode=form["mode"],
                         dry_run=form["dry_run"], principal=principal)
    status = 200 if report.applied or form["dry_run"] else 422
    return jsonify({"data": report.as_dict()}), status


@api_bp.get("/exports/<kind>")
def export(kind: str):
    args = load_args(ExportQuery())
    content, mimetype, filename = export_file(get_graph(), current_principal(), kind,
                                              args["format"], args.get("chain"))
    return Response(content, mimetype=mimetype, headers=attachment(filename))
