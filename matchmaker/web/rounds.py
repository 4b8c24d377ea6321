"""Matchmaking round pages: the list, the new-round form, one round (pairs, outcome forms, tally,
suggestions to tick) and its printable agenda. Writes redirect back to the round; a refused or
invalid one says why in a flash message."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from graph import chains as chain_repo

from ..api.parsing import load
from ..docking import round_agenda, rounds
from ..docking.round_rules import OUTCOMES, headline
from ..errors import DomainError
from ..extensions import get_graph, get_matching
from ..schemas.rounds import OutcomeLoad, PairsLoad, RoundLoad
from ..security import current_principal
from ..services.permissions import is_manager, require_round_write
from . import web_bp
from .labels import outcome_name
from .messages import page_error


@web_bp.record_once
def _round_helpers(state) -> None:
    state.app.jinja_env.globals.update(outcome_name=outcome_name)



def _form(*lists: str) -> dict:
    """The submitted form without the CSRF token and blanks; `lists` fields split on ';'."""
    out = {}
    for key, value in request.form.items():
        if key == "csrf_token" or not value.strip():
            continue
        out[key] = [v.strip() for v in value.replace("；", ";").split(";") if v.strip()] if key in lists \
            else value.strip()
    return out


def _refused(exc: DomainError, what: str) -> None:
    shown = page_error(exc.message, exc.fields)
    details = "; ".join(f"{label}{_(': ')}{', '.join(reasons)}" for label, reasons in shown.fields.items())
    flash(f"{what}{_(': ')}{shown.message}" + (f" ({details})" if details else ""), "error")


@web_bp.get("/rounds")
def round_list():
    principal = current_principal()
    found = rounds.list_rounds(get_graph(), principal)
    return render_template("rounds/list.html", rounds=found, can_write=is_manager(principal),
                           chains={c["id"]: c for c in chain_repo.chain_names(get_graph())})


@web_bp.route("/rounds/new", methods=["GET", "POST"])
def round_new():
    principal = current_principal()
    require_round_write(principal)
    chains = chain_repo.chain_names(get_graph())
    if request.method == "GET":
        return render_template("rounds/new.html", chains=chains, values={}, error=None)
    values = {**_form(), "chains": request.form.getlist("chains")}
    try:
        created = rounds.create_round(get_graph(), principal, load(RoundLoad(), values))
    except DomainError as exc:
        return render_template("rounds/new.html", chains=chains, values=values,
                               error=exc), exc.status
    flash(_("Round created: %(title)s", title=created["title"]))
    return redirect(url_for("web.round_page", round_id=created["id"]))


@web_bp.get("/rounds/<round_id>")
def round_page(round_id: str):
    principal = current_principal()
    view = rounds.get_round(get_graph(), principal, round_id)
    suggested = None
    if is_manager(principal) and request.args.get("suggest"):
        suggested = round_agenda.suggestions(get_graph(), get_matching(), principal, round_id)
    lang = str(get_locale())
    return render_template("rounds/show.html", **view, suggested=suggested, can_write=is_manager(principal),
                           outcomes=OUTCOMES, headline=headline(view["tally"], lang),
                           chains={c["id"]: c for c in chain_repo.chain_names(get_graph())})


@web_bp.post("/rounds/<round_id>/edit")
def round_edit(round_id: str):
    values = _form()
    if "chains" in request.form:
        values["chains"] = request.form.getlist("chains")
    try:
        data = load(RoundLoad(partial=True), values)
        rounds.update_round(get_graph(), current_principal(), round_id, data, data.pop("version", None))
        flash(_("Round saved."))
    except DomainError as exc:
        if exc.status in (401, 403, 404):
            raise
        _refused(exc, _("Not saved"))
    return redirect(url_for("web.round_page", round_id=round_id))


@web_bp.post("/rounds/<round_id>/delete")
def round_delete(round_id: str):
    rounds.delete_round(get_graph(), current_principal(), round_id)
    flash(_("Round deleted; its invitations stay as they are."))
    return redirect(url_for("web.round_list"))


@web_bp.post("/rounds/<round_id>/pairs")
def round_add_pairs(round_id: str):
    """By hand (demand_item_id, supplier_id, supply_item_id) or ticked suggestions ('pick' values
    'demand|supplier|supply item')."""
    picked = [dict(zip(("demand_item_id", "supplier_id", "supply_item_id"), (p.split("|") + ["", ""])[:3]))
              for p in request.form.getlist("pick")]
    by_hand = [{k: v for k, v in _form().items() if k != "pick"}] if request.form.get("demand_item_id") else []
    wanted = [{k: v for k, v in row.items() if v} for row in picked] or by_hand
    try:
        rows = load(PairsLoad(), {"pairs": wanted})["pairs"]
        result = rounds.add_pairs(get_graph(), current_principal(), round_id, rows)
        flash(_("Pairs added: %(added)s; linked to an invitation already open: %(linked)s; already in the round: "
                "%(skipped)s", added=len(result["added"]), linked=len(result["linked"]),
                skipped=len(result["skipped"])))
    except DomainError as exc:
        if exc.status in (401, 403, 404):
            raise
        _refused(exc, _("No pair added"))
    return redirect(url_for("web.round_page", round_id=round_id) + "#pairs")


@web_bp.post("/rounds/<round_id>/pairs/<pair_id>/outcome")
def round_outcome(round_id: str, pair_id: str):
    try:
        data = load(OutcomeLoad(), _form())
        rounds.record_outcome(get_graph(), current_principal(), round_id, pair_id, data)
        flash(_("Outcome recorded."))
    except DomainError as exc:
        if exc.status in (401, 403, 404):
            raise
        _refused(exc, _("Outcome not recorded"))
    return redirect(url_for("web.round_page", round_id=round_id) + f"#{pair_id}")


@web_bp.post("/rounds/<round_id>/pairs/<pair_id>/delete")
def round_pair_delete(round_id: str, pair_id: str):
    rounds.delete_pair(get_graph(), current_principal(), round_id, pair_id)
    flash(_("Pair removed; its invitation stays as it is."))
    return redirect(url_for("web.round_page", round_id=round_id) + "#pairs")


@web_bp.get("/rounds/<round_id>/agenda")
def round_agenda_page(round_id: str):
    view = round_agenda.agenda(get_graph(), current_principal(), round_id)
    return render_template("rounds/agenda.html", **view,
                           chains={c["id"]: c for c in chain_repo.chain_names(get_graph())})
