"""Match pages: suggested suppliers on a demand item's page, verdicts on them, an SME's opportunities."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..errors import N_, Forbidden, Invalid, Unauthorized
from ..extensions import get_graph, get_matching
from ..i18n import localized
from ..matching import service
from ..schemas.matches import FeedbackLoad
from ..security import current_principal
from ..services import enterprises as enterprise_service
from . import web_bp
from .formats import money
from .forms import form_data
from .match_view import (FILTERS, MatchList, engine_filters, grade_name, opportunity_reasons, read_filters,
                         supplier_reasons, tier_name)
from .messages import page_error

VERDICT_DONE = {"confirm": N_("Confirmed: this supplier now ranks higher for this item."),
                "dismiss": N_("Dismissed: this supplier now ranks below the others for this item.")}


@web_bp.record_once
def _template_helpers(state) -> None:
    state.app.jinja_env.filters["money"] = money
    state.app.jinja_env.globals.update(grade_name=grade_name, tier_name=tier_name)


@web_bp.app_template_global()
def supplier_suggestions(demand: dict) -> MatchList | None:
    """The demand page's suggestions for those who may see them; None (nothing shown) for others."""
    args, problem = read_filters(request.args)
    try:
        found = service.suppliers_for_demand(get_graph(), get_matching(), current_principal(), demand["id"],
                                             engine_filters(args), args["limit"])
    except (Forbidden, Unauthorized):
        return None
    category = localized(demand, "category_name") or None
    return MatchList([{**row, "reasons": supplier_reasons(row, category)} for row in found], args, problem)


@web_bp.post("/demand/<item_id>/matches/<enterprise_id>/feedback")
def match_feedback(item_id: str, enterprise_id: str):
    try:
        data = form_data(FeedbackLoad())
        service.record_feedback(get_graph(), current_principal(), item_id, enterprise_id, data["verdict"],
                                data["reason"])
        done = VERDICT_DONE[data["verdict"]]
        flash(_(done))
    except Invalid as exc:
        shown = page_error(exc.message, exc.fields)
        flash(" ".join([shown.message, *(f"{k}{_(': ')}{' '.join(v)}" for k, v in shown.fields.items())]), "error")
    kept = {key: value for key, value in request.args.items() if key in FILTERS and value.strip()}
    return redirect(url_for("web.show_item", kind="demand", item_id=item_id, **kept) + "#suggestions")


@web_bp.get("/opportunities")
def supply_opportunities():
    principal = current_principal()
    if principal.authenticated and not principal.enterprise_id:
        return render_template("matches/opportunities.html", firm=None, view=None)
    return _opportunities(principal.enterprise_id)


@web_bp.get("/enterprises/<enterprise_id>/opportunities")
def enterprise_opportunities(enterprise_id: str):
    return _opportunities(enterprise_id)


def _opportunities(enterprise_id: str | None):
    args, problem = read_filters(request.args)
    found = service.opportunities_for_enterprise(get_graph(), get_matching(), current_principal(), enterprise_id,
                                                 engine_filters(args), args["limit"])
    firm = enterprise_service.get_enterprise(get_graph(), enterprise_id)
    view = MatchList([{**row, "reasons": opportunity_reasons(row)} for row in found], args, problem)
    return render_template("matches/opportunities.html", firm=firm, view=view)
