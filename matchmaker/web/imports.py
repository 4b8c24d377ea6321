"""Import page: upload a file, preview the row report, then import; export links."""
from __future__ import annotations

from flask import current_app, render_template, request

from ..errors import DomainError, Invalid
from ..extensions import get_graph
from ..schemas.imports import ImportForm
from ..security import current_principal
from ..services.imports import import_file
from ..services.permissions import require_login
from . import web_bp
from .forms import form_data


@web_bp.route("/imports", methods=["GET", "POST"])
def imports():
    principal = current_principal()
    require_login(principal)
    if request.method == "GET":
        return render_template("imports.html", report=None, error=None, form={})
    try:
        form = form_data(ImportForm())
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            raise Invalid("choose a CSV or XLSX file", {"file": ["missing"]})
        report = import_file(get_graph(), form["kind"], upload.read(), upload.filename,
                             home_region=current_app.config["HOME_REGION"], mode=form["mode"],
                             dry_run=request.form.get("action") == "preview", principal=principal)
    except DomainError as exc:
        return render_template("imports.html", report=None, error=exc, form=request.form), exc.status
    return render_template("imports.html", report=report, error=None, form=request.form)
