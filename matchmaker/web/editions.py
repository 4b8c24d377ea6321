"""Edition pages: the list with the publish form, one edition, its print view."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, stream_template, url_for
from flask_babel import gettext as _

from ..api.parsing import load, load_args
from ..errors import DomainError
from ..extensions import get_graph
from ..i18n import localized
from ..schemas.editions import EditionListQuery, EditionPageQuery, EditionPublishForm
from ..security import current_principal
from ..services import editions as edition_service
from . import web_bp
from .messages import page_error


@web_bp.get("/editions")
def editions():
    args = load(EditionListQuery(), {k: v for k, v in request.args.items() if v})  # "all" options send ""
    view = edition_service.overview(get_graph(), current_principal(), args.get("chain"), args.get("kind"))
    return render_template("editions/list.html", **view)


@web_bp.post("/editions")
def publish_edition():
    form = {k: v for k, v in request.form.items() if v != ""}  # an empty period means "this quarter"
    try:
        data = load(EditionPublishForm(), form)
        edition = edition_service.publish(get_graph(), current_principal(), data["chain"], data["kind"],
                                          data.get("period"))
    except DomainError as exc:  # back to the form, which shows why
        shown = page_error(exc.message, exc.fields)
        details = "; ".join(f"{label}{_(': ')}{', '.join(reasons)}" for label, reasons in shown.fields.items())
        flash(_("Not published: %(reason)s", reason=f"{shown.message} ({details})" if details else shown.message),
              "error")
        return redirect(url_for("web.editions"))
    flash(_("Edition published: %(title)s", title=localized(edition, "title")))
    return redirect(url_for("web.edition", edition_id=edition["id"]))


@web_bp.get("/editions/<edition_id>")
def edition(edition_id: str):
    args = load_args(EditionPageQuery())
    found, page = edition_service.edition_page(get_graph(), edition_id, args["page"], args["per_page"])
    return render_template("editions/show.html", edition=found, page=page)


@web_bp.get("/editions/<edition_id>/print")
def edition_print(edition_id: str):
    found, rows = edition_service.all_rows(get_graph(), edition_id)
    # Streamed: a chain of 60,000 rows is never held in memory as one page.
    return stream_template("editions/print.html", edition=found, rows=rows)
