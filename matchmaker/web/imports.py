"""Import page: upload a file, preview the row report, then import the staged upload; export links.

The preview keeps the uploaded file on the server (services/staged_uploads.py); the page's
"Import these rows" form posts only its token, so the import runs on exactly the previewed bytes.
A file over IMPORT_JOB_MIN_KB imports as a job (services/import_jobs.py): the page then goes to
the job's page (web/import_jobs.py). Previews stay in the request: they write nothing.
"""
from __future__ import annotations

import time
from pathlib import Path

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from graph import chains as chain_repo

from .. import import_jobs_runtime as job_runtime
from ..errors import N_, DomainError, Invalid
from ..extensions import get_graph
from ..schemas.import_jobs import ImportJobDump
from ..schemas.imports import ImportForm, StagedDiscardForm, StagedImportForm
from ..security import current_principal
from ..services import import_jobs, job_imports, staged_uploads
from ..services.imports import import_file
from ..services.permissions import require_login
from ..tabular.template import EXAMPLES, write_template
from . import web_bp
from .doc_page import localized, render_markdown
from .labels import ROLES, STATUSES, TIERS
from .forms import form_data


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
        data = upload.read()
        if form.get("action") == "preview":
            report, staged = staged_uploads.preview(get_graph(), _store(), principal, form["kind"], data,
                                                    upload.filename, home_region=current_app.config["HOME_REGION"],
                                                    mode=form["mode"])
            return _page(report=report, staged=staged, step="preview")
        if job_runtime.as_job(len(data)):
            job = job_imports.submit_upload(job_runtime.context(), principal, form["kind"], data, upload.filename,
                                            mode=form["mode"])
            return redirect(url_for("web.import_job", job_id=job["id"]))
        report = import_file(get_graph(), form["kind"], data, upload.filename,
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
        if job_runtime.as_job(_store().get(form["token"], principal.id).size):
            job = job_imports.submit_staged(job_runtime.context(), principal, form["token"], mode=form["mode"])
            return redirect(url_for("web.import_job", job_id=job["id"]))
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
    return job_runtime.store()


def _page(status: int = 200, **context):
    context = {"report": None, "staged": None, "step": None, "error": None, "form": request.form,
               "jobs": _recent_jobs(), **context}
    return render_template("imports.html", **context), status


def _recent_jobs() -> list[dict]:
    """The account's recent import jobs, listed under the form (none for a visitor)."""
    try:
        jobs = import_jobs.list_jobs(job_runtime.repo(), current_principal(), time.time(),
                                     job_runtime.stale_after(), limit=10)
        return ImportJobDump(many=True).dump(jobs)
    except DomainError:
        return []



# -- help for people filling in a file: a template per kind and the format page ----------------

FORMAT_DOC = Path(__file__).resolve().parents[2] / "docs" / "DATA-FORMAT.md"
_UNITS = (("件", "件", "pieces"), ("套", "套", "sets"), ("台", "台", "units"), ("吨", "吨", "tonnes"),
          ("kg", "千克", "kilograms"), ("m", "米", "metres"), ("pcs", "件", "pieces"), ("sets", "套", "sets"))


@web_bp.get("/imports/template/<any(enterprises, supply, demand):kind>.xlsx")
def import_template(kind: str):
    """An XLSX the importer takes back unchanged: '名称 name' headers, one example row, the code lists."""
    principal = current_principal()
    chains = sorted(chain_repo.chain_names(get_graph()), key=lambda c: c["id"])
    categories = chain_repo.all_categories(get_graph())
    example = dict(EXAMPLES[kind])
    if chains:
        first = chains[0]
        example["chains" if kind == "enterprises" else "chain"] = ([first["name_zh"]] if kind == "enterprises"
                                                                    else first["name_zh"])
        category = next((c for c in categories if c["chain_id"] == first["id"]), None)
        if category and kind != "enterprises":
            example["category"] = category["id"]
    if kind != "enterprises":
        example["enterprise_id"] = principal.enterprise_id or "91510116MA6XXXXXX1"
    data = write_template(kind, example, _code_lists(kind, chains, categories))
    return Response(data, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="template-{kind}.xlsx"',
                             "Cache-Control": "no-store"})


def _code_lists(kind: str, chains: list[dict], categories: list[dict]) -> list:
    def both(message: str) -> tuple[str, str]:
        with force_locale("zh"):
            zh = _(message)
        with force_locale("en"):
            en = _(message)
        return zh, en

    lists = [("产业链 chain", [(c["id"], c["name_zh"] or "", c["name_en"] or "") for c in chains])]
    if kind == "enterprises":
        lists.append(("角色 role", [(code, *both(ROLES[code])) for code in ("leader", "sme", "other")]))
        lists.append(("梯度 tier", [(code, *both(label)) for code, label in TIERS.items()]))
    else:
        statuses = ("published", "draft") if kind == "supply" else ("published", "draft", "closed")
        lists.append(("状态 status", [(code, *both(STATUSES[code])) for code in statuses]))
        lists.append(("单位 unit (示例 examples)", list(_UNITS)))
        lists.append(("类别 category", [(c["id"], c["name_zh"] or "", c["name_en"] or "") for c in categories]))
    if kind == "demand":
        lists.append(("优先本地 prefer_local", [("true", "是", "yes"), ("false", "否", "no")]))
    return lists


@web_bp.get("/imports/format")
def import_format():
    """docs/DATA-FORMAT.md, the file contract kept in the repository, as a page (in Chinese its translation)."""
    path = localized(FORMAT_DOC, get_locale().language)
    return render_template("import_format.html", document=render_markdown(path.read_text("utf-8")),
                           translated=path != FORMAT_DOC)
