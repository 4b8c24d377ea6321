"""An official's decisions on firms' sign-ups: link to a firm of the directory, create the firm the
sign-up describes, or decline with a reason. The account holder is told by an in-app notification.

A sign-up's credit code, name and region are claims: nothing is linked or created until an
official decides, and creating applies the enterprise rules of every other path (services.records).
"""
from __future__ import annotations

from graph import enterprises as enterprise_repo
from graph import users as user_repo
from graph.db import GraphDB

from ..errors import N_, Conflict, Invalid, NotFound
from ..notifications.inbox import Message, notify_account
from ..notifications.store import GraphStore
from ..rules.contacts import credit_code
from ..rules.signups import REASONS
from ..timestamps import stamp
from .accounts import approve, public
from .enterprises import create_enterprise
from .permissions import Principal, require_manager

APPROVED_KIND = "account_approved"
APPROVED = N_("Your account was approved and linked to %(firm)s")
PICKER_LIMIT = 10


def decide_approval(db: GraphDB, principal: Principal, user_id: str, choice: dict, home_region: str) -> dict:
    """The approval form's or API's choice: `create_enterprise`, else link `enterprise_id`."""
    if choice.get("create_enterprise"):
        return approve_new_firm(db, principal, user_id, home_region)
    return approve_linked(db, principal, user_id, choice.get("enterprise_id"))


def approve_linked(db: GraphDB, principal: Principal, user_id: str, enterprise_id: str | None) -> dict:
    """Approve and link the account to a firm of the directory (the picker's choice)."""
    require_manager(principal)
    _pending(db, user_id)
    user = approve(db, principal.email, user_id, enterprise_id)
    _tell_approved(db, user)
    return user


def approve_new_firm(db: GraphDB, principal: Principal, user_id: str, home_region: str) -> dict:
    """Create the enterprise the sign-up describes (its credit code, name, region, role), then approve
    and link the account to it."""
    require_manager(principal)
    user = _pending(db, user_id)
    code = credit_code(user.get("claimed_enterprise_id"))
    if code is None:
        raise Invalid(N_("the sign-up gives no valid Unified Social Credit Code: link the account to a firm instead"),
                      {"enterprise_id": [N_("not a valid Unified Social Credit Code")]})
    if enterprise_repo.get(db, code) is not None:
        raise Conflict(N_("this firm is in the directory already: link the account to it"),
                       {"enterprise_id": [N_("already used")]})
    if not user.get("claimed_region"):
        raise Invalid(N_("the sign-up gives no region: link the account to a firm instead"),
                      {"region": [N_("required")]})
    create_enterprise(db, principal, {"id": code, "name": user["name"], "role": user["role"],
                                      "region": user["claimed_region"]}, home_region)
    return approve_linked(db, principal, user_id, code)


def reject(db: GraphDB, principal: Principal, user_id: str, reason: str, note: str = "") -> dict:
    """Decline a sign-up; the account stays inactive and leaves the queue. Signing in then says why."""
    require_manager(principal)
    if reason not in REASONS:
        raise Invalid(N_("choose a reason"), {"reason": [N_("use one of the listed reasons")]})
    if reason == "other" and not (note or "").strip():
        raise Invalid(N_("say why in the note"), {"note": [N_("required with the reason 'other'")]})
    declined = user_repo.reject(db, user_id, reason, (note or "").strip()[:500], principal.email, stamp())
    if declined is None:
        _pending(db, user_id)  # names why: unknown, or decided already
    return public(declined)


def candidates(db: GraphDB, user: dict, query: str = "") -> dict:
    """What the approval page offers for one sign-up: the firm its claimed id names (if in the
    directory), firms of its role found by `query` (or by its name), and whether it can be created."""
    claimed = user.get("claimed_enterprise_id")
    existing = enterprise_repo.get(db, claimed) if claimed else None
    found, _ = enterprise_repo.search(db, user["role"], (query or user.get("name") or "").strip(), None, 0,
                                      PICKER_LIMIT)
    code = credit_code(claimed)
    return {"claimed": existing, "found": [f for f in found if not existing or f["id"] != existing["id"]],
            "credit_code": code, "can_create": bool(code and existing is None and user.get("claimed_region"))}


def _pending(db: GraphDB, user_id: str) -> dict:
    user = user_repo.get(db, user_id)
    if user is None:
        raise NotFound(N_("no account with id '%(id)s'") % {"id": user_id})
    if user["active"] or user.get("rejected_at"):
        raise Conflict(N_("this sign-up has been decided already"))
    return user


def _tell_approved(db: GraphDB, user: dict) -> None:
    firm = enterprise_repo.get(db, user["enterprise_id"]) if user.get("enterprise_id") else None
    if firm is None:
        return  # an official's or admin's account: no firm to name
    params = {"firm": firm["name"], "firm_en": firm.get("name_en") or firm["name"]}
    message = Message(APPROVED_KIND, APPROVED, params, "/account", user["id"])
    notify_account(GraphStore(db), message, user["id"], stamp(precise=True))
