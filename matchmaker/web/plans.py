"""The officials' batch plan page: /plans (choose a chain, review the pairs), its XLSX export, and
/plans/invitations (the ticked pairs become invitations through the engagements service)."""
from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from graph import chains as chain_repo

from ..api.parsing import load
from ..docking import plans, rounds
from ..docking.plan_export import plan_xlsx
from ..errors import N_, DomainError
from ..extensions import get_graph, get_matching
from ..schemas.plans import PlanQuery
from ..schemas.rounds import PairsLoad
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
    planned = [r for r in rounds.list_rounds(get_graph(), current_principal()) if r.get("status") == "planned"]
    return render_template("plans/plan.html", chains=chains, chain=chain, plan=plan, problem=problem,
                           rounds=planned)


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
    if request.form.get("round_id") and request.form.get("to_round"):
        return _to_round(principal, request.form["round_id"], chain)
    try:
        result = plans.invite_pairs(get_graph(), principal, plans.parse_pairs(request.form.getlist("pair")))
    except DomainError as exc:
        return render_template("plans/invited.html", chain=chain, result=None,
                               problem=page_error(exc.message, exc.fields)), exc.status
    return render_template("plans/invited.html", chain=chain, result=result, problem=None)


def _to_round(principal, round_id: str, chain: str):
    """The ticked pairs become pairs of a planned matchmaking round (each an invitation for the round)."""
    try:
        pairs = plans.parse_pairs(request.form.getlist("pair"))
        rows = load(PairsLoad(), {"pairs": [{"demand_item_id": d, "supplier_id": s, **({"supply_item_id": i} if i else {})}
                                            for d, s, i in pairs]})["pairs"]
        result = rounds.add_pairs(get_graph(), principal, round_id, rows)
    except DomainError as exc:
        if exc.status in (401, 403, 404):
            raise
        return render_template("plans/invited.html", chain=chain, result=None,
                               problem=page_error(exc.message, exc.fields)), exc.status
    flash(_("Pairs added: %(added)s; linked to an invitation already open: %(linked)s; already in the round: "
            "%(skipped)s", added=len(result["added"]), linked=len(result["linked"]), skipped=len(result["skipped"])))
    return redirect(url_for("web.round_page", round_id=round_id) + "#pairs")
