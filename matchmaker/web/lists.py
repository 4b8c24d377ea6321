"""Supply list and demand list pages: browse, read, create, edit, end."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from graph import chains as chain_repo

from ..errors import DomainError
from ..extensions import get_graph, get_item_repository
from ..matching.category_review import with_suggestions
from ..schemas.items import LOAD_SCHEMAS, ItemListQuery
from ..schemas.versions import FORM_SCHEMAS
from ..security import current_principal
from ..services import items as item_service
from ..rules.vocab import ITEM_KINDS as KINDS
from ..services.permissions import is_manager, may_write_item, require_item_create
from . import web_bp
from .forms import args_data, form_data

def _kind(kind: str) -> str:
    if kind not in KINDS:
        abort(404)
    return kind


@web_bp.get("/<kind>")
def browse(kind: str):
    _kind(kind)
    args = args_data(ItemListQuery())
    page = item_service.list_items(get_item_repository(), current_principal(), kind, args)
    return render_template("lists/browse.html", kind=kind, page=page, args=args,
                           chains=chain_repo.chain_names(get_graph()), categories=chain_repo.all_categories(get_graph()))


@web_bp.get("/<kind>/<item_id>")
def show_item(kind: str, item_id: str):
    principal = current_principal()
    item = with_suggestions(get_graph(), item_service.get_item(get_item_repository(), principal, _kind(kind),
                                                               item_id))
    editable = may_write_item(principal, kind, item["enterprise_id"], item["enterprise_id"])
    history = item_service.item_history(get_item_repository(), principal, kind, item_id) if editable else []
    return render_template("lists/item.html", kind=kind, item=item, editable=editable, history=history)


@web_bp.route("/<kind>/new", methods=["GET", "POST"])
def new_item(kind: str):
    require_item_create(current_principal(), _kind(kind))
    return _item_form(kind, None)


@web_bp.route("/<kind>/<item_id>/edit", methods=["GET", "POST"])
def edit_item(kind: str, item_id: str):
    # The form opens only for those who may save it: 404, then sign-in or 403, before anything renders.
    return _item_form(kind, item_service.item_to_edit(get_item_repository(), current_principal(), _kind(kind),
                                                      item_id))


def _item_form(kind: str, item: dict | None):
    """The item form; an edit is saved against the version in its hidden field (409 when stale)."""
    principal, home, repo = current_principal(), current_app.config["HOME_REGION"], get_item_repository()
    if request.method == "POST":
        try:
            if item is None:
                data = form_data(LOAD_SCHEMAS[kind]())
                saved = item_service.create_item(repo, principal, kind, data, home)
            else:
                data = form_data(FORM_SCHEMAS[kind](partial=True))
                version = data.pop("version", None)
                saved = item_service.update_item(repo, principal, kind, item["id"], data, home, version)
        except DomainError as exc:
            return _render_form(kind, item, request.form, exc), exc.status
        flash(_("Saved."))
        return redirect(url_for("web.show_item", kind=kind, item_id=saved["id"]))
    return _render_form(kind, item, _form_values(item), None)


def _render_form(kind: str, item: dict | None, values, error):
    return render_template("lists/form.html", kind=kind, item=item, values=values, error=error,
                           choose_firm=is_manager(current_principal()),
                           statuses=item_service.status_choices(kind, item and item["status"]),
                           categories=chain_repo.all_categories(get_graph()))


def _form_values(item: dict | None) -> dict:
    if item is None:
        return {}
    values = {**item_service.to_record(item["kind"], item), "version": item.get("version")}
    for key in ("certifications", "required_certifications"):
        if key in values:
            values[key] = ";".join(values[key] or [])
    return values


@web_bp.post("/<kind>/<item_id>/end")
def end_item(kind: str, item_id: str):
    item_service.end_item(get_item_repository(), current_principal(), _kind(kind), item_id,
                          current_app.config["HOME_REGION"])
    flash(_("Withdrawn.") if kind == "supply" else _("Closed."))
    return redirect(url_for("web.show_item", kind=kind, item_id=item_id))
