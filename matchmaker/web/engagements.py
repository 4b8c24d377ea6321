"""Engagement pages: the list (/engagements), one engagement with its stage ladder, history and the moves
this account may make (/engagements/<id>), the invite button's POST and the move forms' POST; the
per-request binding of the mail outbox (matchmaker.mail) and the labels the templates use."""
from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from graph import chains as chain_repo
from graph import engagements as engagement_repo

from .. import mail
from ..docking import engagements as service
from ..docking.stages import (ACTIVE, FUNNEL_ORDER, REASON_LABELS, REASONS, SIDE_LABELS, STATUS_LABELS,
                              STATUSES)
from ..errors import N_, DomainError, Invalid
from ..extensions import get_graph
from ..schemas.engagements import EngagementCreate, EngagementForm, EngagementQuery
from ..security import current_principal
from ..services.permissions import is_manager, owns
from . import web_bp
from .forms import args_data, form_data
from .messages import page_error

@web_bp.record_once
def _setup(state) -> None:
    state.app.extensions["outbox"] = mail.outbox_for(state.app.config)
    state.app.jinja_env.globals.update(engagement_status=status_label, engagement_reason=reason_label,
                                       engagement_side=side_label, engagements_by_supplier=engagements_by_supplier)


@web_bp.before_app_request
def _bind_outbox() -> None:
    g.outbox_token = mail.bind(current_app.extensions.get("outbox"))


@web_bp.teardown_app_request
def _unbind_outbox(_exc) -> None:
    token = g.pop("outbox_token", None)
    if token is not None:
        mail.unbind(token)


def status_label(code: str | None) -> str:
    return _(STATUS_LABELS[code]) if code in STATUS_LABELS else (code or "")


def reason_label(code: str | None) -> str:
    return _(REASON_LABELS[code]) if code in REASON_LABELS else (code or "")


def side_label(code: str | None) -> str:
    return _(SIDE_LABELS[code]) if code in SIDE_LABELS else (code or "")


def engagements_by_supplier(item: dict) -> dict[str, dict]:
    """{supplier id: its active engagement} of a demand item, for the suggestions' invite buttons
    (only the demand's firm and officials see those, and they see every engagement of the item)."""
    principal = current_principal()
    if not (is_manager(principal) or owns(principal, item.get("enterprise_id"))):
        return {}
    found = engagement_repo.of_demand(get_graph(), item["id"], list(ACTIVE))
    return {e["supplier_id"]: e for e in found}


@web_bp.get("/engagements")
def engagements():
    principal = current_principal()
    args = args_data(EngagementQuery())
    found = service.search(get_graph(), principal, args)
    to_answer = None
    if principal.role == "sme" and not args.get("status") and args["page"] == 1:
        to_answer = service.search(get_graph(), principal, {"status": "invited", "per_page": 100}).items
    return render_template("engagements/list.html", found=found, args=args, to_answer=to_answer,
                           statuses=STATUSES, chains=_chains())


@web_bp.get("/engagements/<engagement_id>")
def engagement(engagement_id: str):
    return _detail(service.get(get_graph(), current_principal(), engagement_id))


@web_bp.post("/engagements/invite")
def invite():
    data = form_data(EngagementCreate())
    try:
        made = service.invite(get_graph(), current_principal(), data["demand_item_id"], data["supplier_id"],
                              data["supply_item_id"], data["note"])
    except DomainError as exc:
        if exc.extra.get("existing"):
            flash(_("This supplier is already engaged for this demand item."), "error")
            return redirect(url_for("web.engagement", engagement_id=exc.extra["existing"]))
        raise
    flash(_("Invitation sent."))
    return redirect(url_for("web.engagement", engagement_id=made["id"]))


@web_bp.post("/engagements/<engagement_id>/move")
def move(engagement_id: str):
    principal = current_principal()
    current = service.get(get_graph(), principal, engagement_id)  # 401/403/404 before reading the form
    try:
        data = form_data(EngagementForm())
        fields = {"status": data["status"], "note": data.get("note") or "",
                  "reason": data.get("reason") or None, "start_date": data.get("start_date") or None,
                  "quantity": _number(data.get("quantity"), "quantity"), "value": _number(data.get("value"), "value")}
        service.change(get_graph(), principal, engagement_id, fields, data.get("version"))
    except DomainError as exc:
        if exc.status == 401:
            raise
        messages = exc.extra.get("messages")
        shown = page_error(messages[str(get_locale())] if messages else exc.message, exc.fields)
        fresh = service.get(get_graph(), principal, engagement_id)
        return _detail(fresh, error=shown, values=request.form, attempted=current["version"]), exc.status
    flash(_("Saved."))
    return redirect(url_for("web.engagement", engagement_id=engagement_id))


def _detail(engagement: dict, error=None, values=None, attempted=None):
    return render_template("engagements/show.html", e=engagement, ladder=FUNNEL_ORDER, reasons=REASONS,
                           error=error, values=values or {}, attempted=attempted)


def _number(text: str | None, field: str):
    if text is None or text == "":
        return None
    try:
        return float(text.replace(",", "").replace("，", ""))
    except ValueError:
        raise Invalid(N_("some fields are not valid"), {field: [N_("Not a number.")]}) from None


def _chains() -> list[dict]:
    return chain_repo.list_chains(get_graph())
