"""Import page: upload a file, preview the row report, then import the staged upload; export links.

The preview keeps the uploaded file on the server (services/staged_uploads.py); the page's
"Import these rows" form posts only its token, so the import runs on exactly the previewed bytes.
"""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..errors import N_, DomainError, Invalid
from ..extensions import get_graph
from ..schemas.imports import ImportForm, StagedDiscardForm, StagedImportForm
from ..security import current_principal
from ..services import staged_uploads
from ..services.imports import import_file
from ..services.permissions import require_login
from . import web_bp
from .forms import form_data


@web_bp.record_once
def _staged_uploads_dir(state) -> None:
    """Staged uploads live in the app's var dir (config VAR_DIR) unless STAGED_UPLOADS_DIR says otherwise."""
    state.app.config.setdefault("STAGED_UPLOADS_DIR", str(Path(state.app.config["VAR_DIR"]) / "staged-uploads"))


@web_bp.route("/imports", methods=["GET", "POST"])
def imports():
    principal = current_principal()
    require_login(principal)
    if request.method == "GET":
        return _page()
    try:
        form = form_data(ImportForm())
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            raise Invalid(N_("choose a CSV or XLSX file"), {"file": [N_("missing")]})
        if form.get("action") == "preview":
            report, staged = staged_uploads.preview(get_graph(), _store(), principal, form["kind"], upload.read(),
                                                    upload.filename, home_region=current_app.config["HOME_REGION"],
                                                    mode=form["mode"])
            return _page(report=report, staged=staged, step="preview")
        report = import_file(get_graph(), form["kind"], upload.read(), upload.filename,
                             home_region=current_app.config["HOME_REGION"], mode=form["mode"], principal=principal)
    except DomainError as exc:
        return _page(error=exc, status=exc.status)
    return _page(report=report, step="result")


@web_bp.post("/imports/confirm")
def confirm_import():
    principal = current_principal()
    require_login(principal)
    try:
        form = form_data(StagedImportForm())
        report, staged = staged_uploads.confirm(get_graph(), _store(), principal, form["token"],
                                                home_region=current_app.config["HOME_REGION"], mode=form["mode"])
    except DomainError as exc:
        return _page(error=exc, status=exc.status)
    return _page(report=report, staged=staged, step="result")


@web_bp.post("/imports/discard")
def discard_import():
    principal = current_principal()
    require_login(principal)
    try:
        staged = staged_uploads.discard(_store(), principal, form_data(StagedDiscardForm())["token"])
    except DomainError as exc:
        return _page(error=exc, status=exc.status)
    flash(_("%(filename)s was discarded: nothing was imported.", filename=staged.filename))
    return redirect(url_for("web.imports"))


def _store() -> staged_uploads.StagedStore:
    config = current_app.config
    return staged_uploads.StagedStore(config["STAGED_UPLOADS_DIR"], max_bytes=config.get("MAX_CONTENT_LENGTH"),
                                      ttl=timedelta(seconds=config["STAGED_UPLOADS_TTL_SECONDS"]))


def _page(status: int = 200, **context):
    context = {"report": None, "staged": None, "step": None, "error": None, "form": request.form, **context}
    return render_template("imports.html", **context), status

