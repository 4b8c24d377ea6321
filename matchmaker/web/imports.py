"""Import page: upload a file, preview the row report, then import the staged upload; export links.

The preview keeps the uploaded file on the server (services/staged_uploads.py); the page's
"Import these rows" form posts only its token, so the import runs on exactly the previewed bytes.
"""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import RAISE, Schema, fields, validate

from ..config import PROJECT_DIR
from ..errors import DomainError, Invalid
from ..extensions import get_graph
from ..schemas.imports import ImportForm
from ..security import current_principal
from ..services import staged_uploads
from ..services.imports import MODES, import_file
from ..services.permissions import require_login
from . import web_bp
from .forms import form_data


class StagedImportForm(Schema):  # with ImportForm in schemas/imports.py once that file can move
    class Meta:
        unknown = RAISE

    token = fields.String(required=True)
    mode = fields.String(validate=validate.OneOf(MODES), load_default="all_or_nothing")


class StagedDiscardForm(Schema):
    class Meta:
        unknown = RAISE

    token = fields.String(required=True)


@web_bp.record_once
def _staged_uploads_dir(state) -> None:
    """Staged uploads live in the app's var dir (VAR_DIR, as config.py reads it at start-up)."""
    var_dir = state.app.config.get("VAR_DIR") or os.environ.get("VAR_DIR") or PROJECT_DIR / "var"
    state.app.config.setdefault("STAGED_UPLOADS_DIR", str(Path(var_dir) / "staged-uploads"))


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
            raise Invalid("choose a CSV or XLSX file", {"file": ["missing"]})
        if form.get("action") == "preview":
            report, staged = staged_uploads.preview(get_graph(), _store(), principal, form["kind"], upload.read(),
                                                    upload.filename, home_region=current_app.config["HOME_REGION"],
                                                    mode=form["mode"])
            return _page(report=report, staged=staged, step="preview")
        report = import_file(get_graph(), form["kind"], upload.read(), upload.filename,
                             home_region=current_app.config["HOME_REGION"], mode=form["mode"], principal=principal)
    except DomainError as exc:
        return _page(error=_localized(exc), status=exc.status)
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
        return _page(error=_localized(exc), status=exc.status)
    return _page(report=report, staged=staged, step="result")


@web_bp.post("/imports/discard")
def discard_import():
    principal = current_principal()
    require_login(principal)
    try:
        staged = staged_uploads.discard(_store(), principal, form_data(StagedDiscardForm())["token"])
    except DomainError as exc:
        return _page(error=_localized(exc), status=exc.status)
    flash(_("%(filename)s was discarded: nothing was imported.", filename=staged.filename))
    return redirect(url_for("web.imports"))


def _store() -> staged_uploads.StagedStore:
    config = current_app.config
    return staged_uploads.StagedStore(config["STAGED_UPLOADS_DIR"], max_bytes=config.get("MAX_CONTENT_LENGTH"),
                                      ttl=timedelta(seconds=config.get("STAGED_UPLOADS_TTL_SECONDS", 3600)))


def _page(status: int = 200, **context):
    context = {"report": None, "staged": None, "step": None, "error": None, "form": request.form, **context}
    return render_template("imports.html", **context), status


def _localized(exc: DomainError) -> DomainError:
    """The error in the page's language where the catalogue has its message (the staged-upload ones)."""
    def tr(text):
        return _(text) if isinstance(text, str) and text else text

    return type(exc)(tr(exc.message), {f: [tr(r) for r in reasons] for f, reasons in exc.fields.items()})
