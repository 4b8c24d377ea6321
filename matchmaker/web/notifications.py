"""The notifications page, the unread count in the header, the account's alert switch, and the
per-request binding of demand alerts (matchmaker.notifications.hook)."""
from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from graph.errors import GraphUnavailable

from ..extensions import get_graph
from ..notifications import Alerting, bind, inbox, settings, unbind
from ..notifications.messages import render_title
from ..notifications.store import GraphStore
from ..schemas.notifications import AccountForm, MarkReadForm, NotificationQuery
from ..security import current_principal
from ..timestamps import stamp
from . import web_bp
from .forms import args_data, form_data


@web_bp.before_app_request
def _bind_alerts() -> None:
    g.alerts_token = bind(current_app.extensions["alerts"])


@web_bp.teardown_app_request
def _unbind_alerts(_exc) -> None:
    token = g.pop("alerts_token", None)
    if token is not None:
        unbind(token)


def unread_notifications() -> int:
    """The header's count: one query per page for signed-in accounts, none for others."""
    if "unread_notifications" not in g:
        try:
            g.unread_notifications = inbox.unread_count(GraphStore(get_graph()), current_principal())
        except GraphUnavailable:
            g.unread_notifications = 0  # the error page itself must still render
    return g.unread_notifications


def notification_title(note: dict) -> str:
    return render_title(note, _, str(get_locale()))


@web_bp.record_once
def _setup(state) -> None:
    config = state.app.config
    state.app.extensions["alerts"] = Alerting.over(state.app.extensions["graph"], state.app.extensions["matching"],
                                                   config["ALERT_MIN_FIT"], config["ALERT_BACKGROUND"])
    state.app.jinja_env.globals.update(unread_notifications=unread_notifications,
                                       notification_title=notification_title)


@web_bp.get("/notifications")
def notifications():
    args = args_data(NotificationQuery())
    found = inbox.inbox_page(GraphStore(get_graph()), current_principal(), args["page"], args["per_page"],
                             args["unread"])
    return render_template("notifications.html", found=found, unread_only=args["unread"])


@web_bp.post("/notifications/read")
def mark_notifications_read():
    data = form_data(MarkReadForm())
    ids = [data["id"]] if "id" in data else None
    inbox.mark_read(GraphStore(get_graph()), current_principal(), stamp(precise=True), ids, data["everything"])
    return redirect(url_for("web.notifications"))


@web_bp.post("/account/alerts")
def account_alerts():
    data = form_data(AccountForm())
    saved = settings.set_alerts_enabled(get_graph(), current_principal(), data["alerts_enabled"])
    flash(_("Demand alerts are on.") if saved["alerts_enabled"] else _("Demand alerts are off."))
    return redirect(url_for("web.account"))
