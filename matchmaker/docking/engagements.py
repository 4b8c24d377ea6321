"""Engagements (对接): invite a supplier for a demand item, move it through the stages, correct a
contract, read one with its history, search.

The functions take a GraphDB or an EngagementRepository (docking.port). Who may move where is
docking.stages.allowed_moves for the caller's side (services.permissions.engagement_side); a
refused move (403 wrong account, 409 wrong stage) writes nothing. Every change is an event; the
engagement's `version` is compared and set in the writing transaction, as item edits are.
Notifications and e-mail go out after the commit (docking.announce) and never fail the call.
"""
from __future__ import annotations

import uuid

from graph.db import GraphDB

from ..errors import N_, Conflict, Forbidden, Invalid, NotFound
from ..services.items import Page
from ..services.permissions import (Principal, engagement_side, is_manager, require_engagement_read,
                                    require_invite, require_login)
from ..timestamps import stamp
from . import announce
from .port import EngagementRepository, GraphEngagements
from .checks import check_invitation, iso_date, note_problems, require_move
from .stages import (ACTIVE, CONTRACTED, INVITED, OFFICIAL, STATUSES, allowed_moves, correction_problems,
                     may_correct_contract, move_problems)

__all__ = ["invite", "move", "correct_contract", "change", "get", "search", "url_of", "StaleVersion",
           "Page"]
Store = EngagementRepository | GraphDB
SCOPE_ALL, SCOPE_LEADER, SCOPE_SUPPLIER = "all", "leader", "supplier"



class StaleVersion(Conflict):
    """The engagement changed after the caller read it: nothing was written."""

    code = "stale_version"


def url_of(engagement_id: str) -> str:
    return f"/api/v1/engagements/{engagement_id}"


def _repo(store: Store) -> EngagementRepository:
    return GraphEngagements(store) if isinstance(store, GraphDB) else store


def invite(db: Store, principal: Principal, demand_id: str, supplier_id: str, supply_item_id: str | None = None,
           note: str = "", round_id: str | None = None) -> dict:
    """Invite a supplier for a published demand item (the demand's firm, officials, admins).

    A pair (demand item, supplier) with an active engagement is a 409 carrying `existing` and `url`."""
    repo = _repo(db)
    require_login(principal)
    demand = repo.demand(demand_id) if demand_id else None
    if demand is None:
        raise Invalid(N_("no such demand item"), {"demand_item_id": [N_("no such demand item")]})
    require_invite(principal, demand)
    check_invitation(repo, demand, supplier_id, supply_item_id, note)
    now, side = stamp(precise=True), engagement_side(principal, {"leader_id": demand["enterprise_id"]})
    engagement = {"id": "G-" + uuid.uuid4().hex[:12], "demand_id": demand_id, "supplier_id": supplier_id,
                  "supply_item_id": supply_item_id or None, "leader_id": demand["enterprise_id"],
                  "chain_id": demand.get("chain_id"), "category_id": demand.get("category_id"),
                  "segment_id": demand.get("segment_id"), "status": INVITED, "opened_at": now, "updated_at": now,
                  "round_id": round_id, "proxy": side == OFFICIAL}
    existing = repo.create(engagement, _event(engagement["id"], 1, principal, side, None, INVITED, now, note=note),
                           ACTIVE)
    if existing:
        raise Conflict(f"this supplier already has an active engagement for this demand item: {existing}",
                       {"supplier_id": [N_("already invited for this demand item: see the existing engagement")]},
                       {"existing": existing, "url": url_of(existing)})
    stored = repo.get(engagement["id"])
    announce.changed(repo, stored, None, principal, side, note)
    return _with_history(repo, stored, side)


def move(db: Store, principal: Principal, engagement_id: str, status: str, *, note: str = "",
         reason: str | None = None, quantity=None, value=None, start_date=None,
         expected_version: int | None = None) -> dict:
    """Move an engagement to `status` if this account's side may (403 / 409 name the allowed stages)."""
    repo = _repo(db)
    engagement, side = _visible(repo, principal, engagement_id)
    if status not in STATUSES:
        raise Invalid(N_("some fields are not valid"), {"status": [N_("not a stage of an engagement")]})
    require_move(engagement, side, status)
    start = iso_date(start_date)
    problems = move_problems(status, reason=reason, note=note, quantity=quantity, value=value, start_date=start)
    problems.update(note_problems(note))
    if problems:
        raise Invalid(N_("some fields are not valid"), problems)
    contract = status == CONTRACTED
    changes = {"status": status, "proxy": side == OFFICIAL, "reason": reason,
               "quantity": quantity if contract else engagement.get("quantity"),
               "value": value if contract else engagement.get("value"),
               "start_date": start if contract else engagement.get("start_date")}
    return _write(repo, principal, side, engagement, changes, expected_version, note)


def correct_contract(db: Store, principal: Principal, engagement_id: str, *, value, quantity=None, note: str = "",
                     expected_version: int | None = None) -> dict:
    """Correct a contract's annual value (and quantity): the leader side or an official; history kept."""
    repo = _repo(db)
    engagement, side = _visible(repo, principal, engagement_id)
    if not may_correct_contract(engagement, side):
        if engagement["status"] != CONTRACTED:
            raise Conflict(N_("only a contracted engagement's value can be corrected"),
                           {"status": [N_("only a contracted engagement's value can be corrected")]})
        raise Forbidden(N_("only the demand's firm and officials correct a contract"))
    problems = {**correction_problems(value, quantity), **note_problems(note)}
    if problems:
        raise Invalid(N_("some fields are not valid"), problems)
    changes = {"status": CONTRACTED, "proxy": side == OFFICIAL, "reason": None, "value": value,
               "quantity": engagement.get("quantity") if quantity is None else quantity,
               "start_date": engagement.get("start_date")}
    return _write(repo, principal, side, engagement, changes, expected_version, note)


def change(db: Store, principal: Principal, engagement_id: str, fields: dict,
           expected_version: int | None = None) -> dict:
    """One PATCH: status 'contracted' on a contracted engagement corrects its contract (value and,
    optionally, quantity); any other status is a move."""
    repo = _repo(db)
    current = repo.get(engagement_id)
    args = {k: fields.get(k) for k in ("reason", "quantity", "value", "start_date")}
    note = fields.get("note") or ""
    if current and current["status"] == CONTRACTED and fields.get("status") == CONTRACTED:
        if args["reason"] is not None or args["start_date"] is not None:
            bad = "reason" if args["reason"] is not None else "start_date"
            raise Invalid(N_("some fields are not valid"),
                          {bad: [N_("a contract correction changes only its value and quantity")]})
        return correct_contract(repo, principal, engagement_id, value=args["value"], quantity=args["quantity"],
                                note=note, expected_version=expected_version)
    return move(repo, principal, engagement_id, fields.get("status"), note=note, expected_version=expected_version,
                **args)


def get(db: Store, principal: Principal, engagement_id: str) -> dict:
    """One engagement with its history (oldest first), the caller's side and the moves it may make."""
    repo = _repo(db)
    engagement, side = _visible(repo, principal, engagement_id)
    return _with_history(repo, engagement, side)


def search(db: Store, principal: Principal, filters: dict) -> Page:
    """Engagements this account may see: a leader its demand items', a supplier its firm's, officials all.

    filters: demand_item, supplier, chain, status (one or a list), round, page, per_page."""
    require_login(principal)
    scope = scope_of(principal)
    statuses = filters.get("status")
    query = {"demand_id": filters.get("demand_item"), "supplier_id": filters.get("supplier"),
             "chain_id": filters.get("chain"), "round_id": filters.get("round"),
             "statuses": [statuses] if isinstance(statuses, str) else (list(statuses) if statuses else None)}
    if scope == SCOPE_LEADER:
        query["leader_scope"] = principal.enterprise_id
    elif scope == SCOPE_SUPPLIER:
        query["supplier_scope"] = principal.enterprise_id
    elif scope is None:
        return Page([], 0, filters.get("page", 1), filters.get("per_page", 20))
    page, per_page = filters.get("page", 1), filters.get("per_page", 20)
    found, total = _repo(db).search(query, (page - 1) * per_page, per_page)
    return Page([_decorate(e, engagement_side(principal, e)) for e in found], total, page, per_page)


def scope_of(principal: Principal) -> str | None:
    """Which engagements a list shows this account: all, its firm's as leader or as supplier, or none."""
    if is_manager(principal):
        return SCOPE_ALL
    if not principal.enterprise_id:
        return None
    return SCOPE_LEADER if principal.role == "leader" else SCOPE_SUPPLIER


# -- helpers ------------------------------------------------------------------------------------

def _visible(repo: EngagementRepository, principal: Principal, engagement_id: str) -> tuple[dict, str]:
    require_login(principal)
    engagement = repo.get(engagement_id) if engagement_id else None
    if engagement is None:
        raise NotFound(f"no engagement with id '{engagement_id}'")
    return engagement, require_engagement_read(principal, engagement)


def _write(repo: EngagementRepository, principal: Principal, side: str, engagement: dict, changes: dict,
           expected_version: int | None, note: str) -> dict:
    version = engagement["version"] if expected_version is None else expected_version
    if version != engagement["version"]:
        raise _stale()
    now = stamp(precise=True)
    event = _event(engagement["id"], version + 1, principal, side, engagement["status"], changes["status"], now,
                   note=note, reason=changes["reason"], quantity=changes["quantity"], value=changes["value"],
                   start_date=changes["start_date"])
    written, stored = repo.update(engagement["id"], version, changes, event, now)
    if not written:
        if stored is None:
            raise NotFound(f"no engagement with id '{engagement['id']}'")
        raise _stale()
    updated = repo.get(engagement["id"])
    announce.changed(repo, updated, engagement["status"], principal, side, note)
    return _with_history(repo, updated, side)


def _event(engagement_id: str, n: int, principal: Principal, side: str | None, from_status: str | None,
           to_status: str, now: str, **values) -> dict:
    return {"id": "GE-" + uuid.uuid4().hex[:12], "engagement_id": engagement_id, "n": n, "at": now,
            "by": principal.id, "by_role": principal.role, "proxy": side == OFFICIAL,
            "from_status": from_status, "to_status": to_status, "note": values.pop("note", "") or "", **values}


def _decorate(engagement: dict, side: str | None) -> dict:
    return {**engagement, "side": side, "allowed_moves": list(allowed_moves(engagement, side)),
            "may_correct": may_correct_contract(engagement, side)}


def _with_history(repo: EngagementRepository, engagement: dict, side: str | None) -> dict:
    return {**_decorate(engagement, side), "history": repo.history(engagement["id"])}


def _stale() -> StaleVersion:
    return StaleVersion(N_("this engagement was changed after you opened it: reload it and make your change again"))


