"""/api/v1/notifications (your in-app notifications) and /api/v1/account (your alert setting)."""
from __future__ import annotations

from ..extensions import get_graph
from ..notifications import inbox, settings
from ..notifications.messages import params_of, render_title
from ..notifications.store import GraphStore
from ..schemas.notifications import AccountDump, AccountPatch, MarkRead, NotificationDump, NotificationQuery
from ..security import current_principal
from ..timestamps import stamp
from . import api_bp
from .envelope import one, paged
from .parsing import load, load_args


def dump(note: dict) -> dict:
    """A stored notification as the API shows it: English title, params as an object."""
    return NotificationDump().dump({**note, "title": render_title(note), "params": params_of(note)})


@api_bp.get("/notifications")
def list_notifications():
    args = load_args(NotificationQuery())
    found = inbox.inbox_page(GraphStore(get_graph()), current_principal(), args["page"], args["per_page"],
                             args["unread"])
    return paged([dump(n) for n in found.notes], found.total, found.page, found.per_page, unread=found.unread)


@api_bp.post("/notifications/read")
def mark_notifications_read():
    data = load(MarkRead())
    result = inbox.mark_read(GraphStore(get_graph()), current_principal(), stamp(precise=True), data["ids"],
                             data["everything"])
    return one(result)


@api_bp.get("/account")
def read_account():
    return one(AccountDump().dump(settings.account_settings(get_graph(), current_principal())))


@api_bp.patch("/account")
def change_account():
    data = load(AccountPatch())
    return one(AccountDump().dump(settings.set_alerts_enabled(get_graph(), current_principal(),
                                                             data["alerts_enabled"])))
