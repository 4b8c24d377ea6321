"""Enterprise directory and profiles; officials create and edit enterprises."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from graph import chains as chain_repo

from ..errors import DomainError
from ..extensions import get_graph, get_item_repository
from ..schemas.enterprises import EnterpriseListQuery, EnterpriseLoad
from ..security import current_principal
from ..services import enterprises as enterprise_service
from ..services import items as item_service
from ..services.permissions import require_manager
from ..api.envelope import page_count
from . import web_bp
from .forms import args_data, form_data


@web_bp.get("/enterprises")
def enterprises():
    args = args_data(EnterpriseListQuery())
    found, total = enterprise_service.search_enterprises(get_graph(), args)
    return render_template("enterprises/list.html", enterprises=found, total=total, args=args,
                           pages=page_count(total, args["per_page"]), chains=chain_repo.chain_names(get_graph()))


@web_bp.get("/enterprises/<enterprise_id>")
def enterprise(enterprise_id: str):
    principal = current_principal()
    firm = enterprise_service.visible(principal, enterprise_service.get_enterprise(get_graph(), enterprise_id))
    kind = "demand" if firm["role"] == "leader" else "supply"
    items = item_service.list_items(get_item_repository(), principal, kind, {"enterprise": enterprise_id, "per_page": 50})
    return render_template("enterprises/show.html", firm=firm, kind=kind, items=items, chains=_chains_by_id(),
                           own_demand=_own_open_demand(principal, firm))


def _chains_by_id() -> dict[str, dict]:
    return {c["id"]: c for c in chain_repo.chain_names(get_graph())}


def _own_open_demand(principal, firm: dict) -> list[dict]:
    """A leader's published demand items, to invite this supplier to one (the docking workflow)."""
    if principal.role != "leader" or not principal.enterprise_id or firm["id"] == principal.enterprise_id:
        return []
    page = item_service.list_items(get_item_repository(), principal, "demand",
                                   {"enterprise": principal.enterprise_id, "status": "published", "per_page": 100})
    return page.items


@web_bp.route("/enterprises/new", methods=["GET", "POST"])
def new_enterprise():
    return _form(None)


@web_bp.route("/enterprises/<enterprise_id>/edit", methods=["GET", "POST"])
def edit_enterprise(enterprise_id: str):
    return _form(enterprise_service.get_enterprise(get_graph(), enterprise_id))


def _form(firm: dict | None):
    principal, home = current_principal(), current_app.config["HOME_REGION"]
    require_manager(principal)
    if request.method == "POST":
        try:
            if firm is None:
                saved = enterprise_service.create_enterprise(get_graph(), principal, _submitted(), home)
            else:
                saved = enterprise_service.update_enterprise(get_graph(), principal, firm["id"],
                                                             _submitted(partial=True), home)
        except DomainError as exc:
            values = {**request.form, "chains": request.form.getlist("chains")}
            return render_template("enterprises/form.html", firm=firm, values=values, error=exc,
                                   chains=_chains_by_id()), exc.status
        flash(_("Saved."))
        return redirect(url_for("web.enterprise", enterprise_id=saved["id"]))
    values = enterprise_service.to_record(firm) if firm else {}
    values["certifications"] = ";".join(values.get("certifications") or [])
    return render_template("enterprises/form.html", firm=firm, values=values, error=None, chains=_chains_by_id())


def _submitted(partial: bool = False) -> dict:
    data = form_data(EnterpriseLoad(partial=partial))
    data.setdefault("chains", [])  # the form ticks chains: none ticked is none, not "unchanged"
    return data
