"""The officials' batch plan page: /plans (choose a chain, review the pairs), its XLSX export, and
/plans/invitations (the ticked pairs become invitations through the engagements service)."""
from __future__ import annotations

from flask import Response, render_template, request
from flask_babel import gettext as _

from graph import chains as chain_repo

from ..docking import plans
from ..docking.plan_export import plan_xlsx
from ..errors import N_, DomainError
from ..extensions import get_graph, get_matching
from ..schemas.plans import PlanQuery
from ..security import current_principal
from ..services.permissions import require_plans
from . import web_bp
from .forms import args_data
from .messages import page_error

ALL = "all"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = {"leader_id": N_("Leader id"), "leader_name": N_("Leader"), "demand_item_id": N_("Demand item id"),
           "demand_item_name": N_("Demand item"), "supplier_id": N_("Supplier id"), "supplier_name": N_("Supplier"),
           "supply_item_id": N_("Supply item id"), "supply_item_name": N_("Supply item"), "quantity": N_("Quantity"),
           "unit": N_("Unit"), "unit_price": N_("Unit price"), "value": N_("Value (CNY)"), "fit": N_("Fit"),
           "chain": N_("Chain"), "local_value": N_("Local value of the plan (CNY)"),
           "greedy_local_value": N_("Local value of a greedy assignment (CNY)"),
           "rate_before": N_("Localization rate today"), "rate_after": N_("Localization rate after the plan")}


def _plan(chain: str | None) -> dict:
    return plans.make_plan(get_graph(), get_matching(), current_principal(), None if chain == ALL else chain)


@web_bp.get("/plans")
def plans_page():
    require_plans(current_principal())
    chains = chain_repo.chain_names(get_graph())
    plan, problem = None, None
    try:
        chain = args_data(PlanQuery())["chain"]
        if chain:
            plan = _plan(chain)
    except DomainError as exc:
        chain, problem = request.args.get("chain"), page_error(exc.message, exc.fields)
    return render_template("plans/plan.html", chains=chains, chain=chain, plan=plan, problem=problem)


@web_bp.get("/plans/export.xlsx")
def plans_export():
    chain = args_data(PlanQuery())["chain"] or ALL
    content = plan_xlsx(_plan(chain), {k: _(v) for k, v in HEADERS.items()})
    return Response(content, mimetype=XLSX,
                    headers={"Content-Disposition": f"attachment; filename=plan-{chain}.xlsx"})


@web_bp.post("/plans/invitations")
def plans_invite():
    principal = current_principal()
    require_plans(principal)
    chain = request.form.get("chain") or ALL
    try:
        result = plans.invite_pairs(get_graph(), principal, plans.parse_pairs(request.form.getlist("pair")))
    except DomainError as exc:
        return render_template("plans/invited.html", chain=chain, result=None,
                               problem=page_error(exc.message, exc.fields)), exc.status
    return render_template("plans/invited.html", chain=chain, result=result, problem=None)
