"""Engagement stages and the one rule of who may move an engagement where (pure, no I/O).

    invited -> accepted | declined                          (supplier side)
    accepted, contact, samples, qualification -> any later
        stage of contact, samples, qualification, contracted (leader side; skipping allowed)
    any OPEN stage -> closed                                 (either side)

Officials and admins may make every move, recorded as done on a firm's behalf (proxy).
The service, the API's errors and the page's buttons all ask `allowed_moves`.
"""
from __future__ import annotations

from ..errors import N_

INVITED, ACCEPTED, DECLINED = "invited", "accepted", "declined"
CONTACT, SAMPLES, QUALIFICATION = "contact", "samples", "qualification"
CONTRACTED, CLOSED = "contracted", "closed"

STATUSES = (INVITED, ACCEPTED, DECLINED, CONTACT, SAMPLES, QUALIFICATION, CONTRACTED, CLOSED)
OPEN = (INVITED, ACCEPTED, CONTACT, SAMPLES, QUALIFICATION)
ACTIVE = (*OPEN, CONTRACTED)
FUNNEL_ORDER = (INVITED, ACCEPTED, CONTACT, SAMPLES, QUALIFICATION, CONTRACTED)
LEADER_STAGES = (CONTACT, SAMPLES, QUALIFICATION, CONTRACTED)
NEEDS_REASON = (DECLINED, CLOSED)

REASONS = ("price", "quality", "capacity", "certification", "delivery", "no_response", "chose_other",
           "demand_cancelled", "no_fit", "other")

# Which side an account acts for on one engagement (matchmaker.services.permissions.engagement_side).
LEADER, SUPPLIER, OFFICIAL = "leader", "supplier", "official"
SIDES = (LEADER, SUPPLIER, OFFICIAL)

STATUS_LABELS = {
    INVITED: N_("Invited"), ACCEPTED: N_("Accepted"), DECLINED: N_("Declined"), CONTACT: N_("In contact"),
    SAMPLES: N_("Samples"), QUALIFICATION: N_("Qualification"), CONTRACTED: N_("Contracted"),
    CLOSED: N_("Closed"),
}
REASON_LABELS = {
    "price": N_("Price"), "quality": N_("Quality"), "capacity": N_("Capacity"),
    "certification": N_("Certification"), "delivery": N_("Delivery"), "no_response": N_("No response"),
    "chose_other": N_("Chose another supplier"), "demand_cancelled": N_("Demand cancelled"),
    "no_fit": N_("Not a fit"), "other": N_("Other"),
}
SIDE_LABELS = {LEADER: N_("Chain leader"), SUPPLIER: N_("Supplier"), OFFICIAL: N_("Official (on a firm's behalf)")}


def later_stages(status: str) -> tuple[str, ...]:
    """The leader-side stages after `status` (accepted: all of them)."""
    if status == ACCEPTED:
        return LEADER_STAGES
    if status in LEADER_STAGES:
        return LEADER_STAGES[LEADER_STAGES.index(status) + 1:]
    return ()


def allowed_moves(engagement: dict, principal_side: str | None) -> tuple[str, ...]:
    """The statuses this side may move the engagement to now, in ladder order (empty: none).

    >>> allowed_moves({"status": "invited"}, "supplier")
    ('accepted', 'declined', 'closed')
    >>> allowed_moves({"status": "samples"}, "leader")
    ('qualification', 'contracted', 'closed')
    """
    status = engagement.get("status")
    moves: list[str] = []
    if status == INVITED and principal_side in (SUPPLIER, OFFICIAL):
        moves += [ACCEPTED, DECLINED]
    if principal_side in (LEADER, OFFICIAL):
        moves += later_stages(status) if status != INVITED else ()
    if status in OPEN and principal_side in SIDES:
        moves.append(CLOSED)
    return tuple(moves)


def any_side_moves(engagement: dict) -> tuple[str, ...]:
    """Every status some account may move the engagement to now (what an official may do)."""
    return allowed_moves(engagement, OFFICIAL)


def may_correct_contract(engagement: dict, principal_side: str | None) -> bool:
    """A contract's value may be corrected later by the leader side or an official."""
    return engagement.get("status") == CONTRACTED and principal_side in (LEADER, OFFICIAL)


def move_problems(status: str, *, reason: str | None = None, note: str = "", quantity=None, value=None,
                  start_date=None) -> dict[str, list[str]]:
    """What a move to `status` lacks or should not carry: {field: [reasons]} (empty: fine).

    contracted needs quantity, value (> 0) and start_date; declined and closed need a reason from
    REASONS, and 'other' a note; the contract's figures come only with contracted.
    """
    problems: dict[str, list[str]] = {}
    if status == CONTRACTED:
        for name, number in (("quantity", quantity), ("value", value)):
            if number is None:
                problems[name] = [N_("a contract needs its annual quantity and value (CNY) and start date")]
            elif not _positive(number):
                problems[name] = [N_("must be a number above 0")]
        if not start_date:
            problems["start_date"] = [N_("a contract needs its annual quantity and value (CNY) and start date")]
    else:
        for name, given in (("quantity", quantity), ("value", value), ("start_date", start_date)):
            if given is not None:
                problems[name] = [N_("only a contract (status contracted) carries quantity, value and start date")]
    if status in NEEDS_REASON:
        if reason not in REASONS:
            problems["reason"] = [N_("declining or closing needs a reason from the list")]
        elif reason == "other" and not (note or "").strip():
            problems["note"] = [N_("reason 'other' needs a note saying what it is")]
    elif reason is not None:
        problems["reason"] = [N_("only declining or closing carries a reason")]
    return problems


def correction_problems(value, quantity=None) -> dict[str, list[str]]:
    """A contract correction: a new value above 0 (and a quantity above 0 when given)."""
    problems: dict[str, list[str]] = {}
    if value is None or not _positive(value):
        problems["value"] = [N_("must be a number above 0")]
    if quantity is not None and not _positive(quantity):
        problems["quantity"] = [N_("must be a number above 0")]
    return problems


def _positive(number) -> bool:
    return isinstance(number, (int, float)) and not isinstance(number, bool) and number == number and 0 < number < 1e15
