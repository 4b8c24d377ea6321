"""The engagement service's input checks and refusals (no I/O beyond the repository's reads).

- an invitation's demand item, supplier and supply item (422 naming the field);
- a refused move: 403 when another side could make it now (wrong account), 409 when no one could
  (wrong stage); both carry `allowed` and `messages` {en, zh} built from docking.stages.
"""
from __future__ import annotations

from datetime import date

from ..errors import N_, Conflict, Forbidden, Invalid
from .port import EngagementRepository
from .stages import STATUS_LABELS, allowed_moves, any_side_moves
from .words import both

SUPPLIER_ROLES = ("sme", "other")
MAX_NOTE = 2000

WRONG_STAGE = N_("An engagement at stage %(current)s cannot move to %(status)s. Allowed next stages: %(allowed)s.")
WRONG_SIDE = N_("This account may not move this engagement to %(status)s. Allowed for you: %(allowed)s.")
NONE = N_("none")


def check_invitation(repo: EngagementRepository, demand: dict, supplier_id: str, supply_item_id: str | None,
                     note: str) -> None:
    """422 naming each field at fault: a published demand item, an sme/other supplier that is not the
    demand's firm, a supply item of that supplier, a note of at most MAX_NOTE characters."""
    problems: dict[str, list[str]] = {}
    if demand.get("status") != "published":
        problems["demand_item_id"] = [N_("only a published demand item takes invitations")]
    supplier = repo.enterprise(supplier_id) if supplier_id else None
    if supplier is None:
        problems["supplier_id"] = [N_("no such enterprise")]
    elif supplier_id == demand.get("enterprise_id"):
        problems["supplier_id"] = [N_("a firm cannot invite itself")]
    elif supplier.get("role") not in SUPPLIER_ROLES:
        problems["supplier_id"] = [N_("only SMEs and other enterprises (not chain leaders) are invited as suppliers")]
    if supply_item_id:
        item = repo.supply_item(supply_item_id)
        if item is None:
            problems["supply_item_id"] = [N_("no such supply item")]
        elif item.get("enterprise_id") != supplier_id:
            problems["supply_item_id"] = [N_("this supply item belongs to another enterprise")]
    problems.update(note_problems(note))
    if problems:
        raise Invalid(N_("the invitation cannot be made"), problems)


def note_problems(note) -> dict:
    if note is not None and not isinstance(note, str):
        return {"note": [N_("a note is text")]}
    if note and len(note) > MAX_NOTE:
        return {"note": [N_("at most 2000 characters")]}
    return {}


def require_move(engagement: dict, side: str, status: str) -> None:
    """403 when another side could make this move now, 409 when no one could; both name the allowed stages."""
    mine = allowed_moves(engagement, side)
    if status in mine:
        return
    if status in any_side_moves(engagement):
        texts = _texts(WRONG_SIDE, engagement["status"], status, mine)
        raise Forbidden(texts["en"], {"status": [texts["en"]]}, {"allowed": list(mine), "messages": texts})
    texts = _texts(WRONG_STAGE, engagement["status"], status, mine)
    raise Conflict(texts["en"], {"status": [texts["en"]]}, {"allowed": list(mine), "messages": texts})


def _texts(template: str, current: str, status: str, allowed: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for lang in ("en", "zh"):
        label = lambda code: both(STATUS_LABELS.get(code, code))[lang]  # noqa: E731
        sep = ", " if lang == "en" else "、"
        out[lang] = both(template, current=label(current), status=label(status),
                         allowed=sep.join(label(a) for a in allowed) or both(NONE)[lang])[lang]
    return out


def iso_date(value) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise Invalid(N_("some fields are not valid"), {"start_date": [N_("Not a date (YYYY-MM-DD).")]}) from None
