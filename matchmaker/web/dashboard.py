"""The officials' pages of issue 10 (parts 2 and 6): the dashboard of every chain (/dashboard, its XLSX
export, the on-demand snapshot), a chain's rates over time (/chains/<id>/rates), the printable chain
report (/chains/<id>/report) and a leader's own trend (/enterprises/<id>/rates)."""
from __future__ import annotations

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from ..analytics.rate_snapshots import DOWN, FLAT, UP
from ..charts.rate_trend import SMALL, Size, TrendTexts, draw_rate_trend
from ..errors import N_, NotFound
from ..extensions import get_graph, get_lists, get_matching
from ..i18n import firm_name, localized
from ..security import current_principal
from ..services import dashboard as dashboard_service
from ..services import rate_snapshots
from ..services.dashboard_export import dashboard_xlsx
from ..services.permissions import may_see_rates, require_manager, require_rates
from . import web_bp
from .formats import money

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = {"chain_id": N_("Chain id"), "chain": N_("Chain"), "rate": N_("Localization rate (%)"),
           "target": N_("Target (%)"), "trend": N_("Trend"), "last_snapshot": N_("Last snapshot"),
           "gaps": N_("Gaps"), "weak": N_("Weak links"), "covered": N_("Covered"),
           "open_demand_value": N_("Open demand value (CNY)"), "matches_confirmed": N_("Suggestions confirmed this month"),
           "engagements_opened": N_("Engagements opened this month"),
           "contracts_signed": N_("Contracts signed this month"),
           "contracted_value_signed": N_("Value signed this month (CNY)"), "total": N_("All chains")}


def trend_names() -> dict[str, str]:
    return {UP: _("up"), DOWN: _("down"), FLAT: _("unchanged")}


def _pct(rate) -> str:
    return "—" if rate is None else f"{round(rate * 100, 1):g}%"


def _tooltip(snapshot: dict) -> str:
    lines = [_("%(month)s: %(rate)s", month=snapshot["month"], rate=_pct(snapshot.get("rate")))]
    if snapshot.get("potential") is not None:
        lines.append(_("Potential: %(rate)s", rate=_pct(snapshot["potential"])))
    lines.append(_("Bought locally: %(value)s of %(total)s", value=money(snapshot.get("local_value")),
                   total=money(snapshot.get("total"))))
    lines.append(_("Contracted locally: %(value)s", value=money(snapshot.get("contracted_value"))))
    return "\n".join(lines)


def trend_svg(snapshots: list[dict], target, title: str, size: Size = Size()) -> Markup:
    texts = TrendTexts(title, _("Localization rate"), _("Target"), _("No snapshot yet"), _tooltip)
    return Markup(draw_rate_trend(snapshots, target, texts, size))  # noqa: S704 - every text in it is escaped


@web_bp.get("/dashboard")
def dashboard():
    board = dashboard_service.dashboard(get_graph(), current_principal(), lists=get_lists())
    return render_template("officials/dashboard.html", board=board, trends=trend_names())


@web_bp.get("/dashboard/export.xlsx")
def dashboard_export():
    board = dashboard_service.dashboard(get_graph(), current_principal(), lists=get_lists())
    content = dashboard_xlsx(board, {k: _(v) for k, v in HEADERS.items()}, localized, trend_names())
    return Response(content, mimetype=XLSX,
                    headers={"Content-Disposition": f"attachment; filename=dashboard-{board['month']}.xlsx"})


@web_bp.post("/dashboard/snapshot")
def dashboard_snapshot():
    """Officials take the last ended month's snapshot on demand (when `serve` did not)."""
    require_manager(current_principal())
    result = rate_snapshots.take(get_graph(), get_matching(), finish_checks=False,  # the keeper has the rest
                                 lists=get_lists())
    if result["taken"]:
        flash(_("Snapshot of %(month)s taken: %(n)s rates kept.", month=result["month"], n=result["written"]))
    else:
        flash(_("%(month)s already has its snapshot (%(n)s rates); snapshots are never rewritten.",
                month=result["month"], n=result["kept"]))
    return redirect(url_for("web.dashboard"))


@web_bp.get("/chains/<chain_id>/rates")
def chain_rates(chain_id: str):
    principal = current_principal()
    data = rate_snapshots.chain_rates(get_graph(), principal, chain_id)
    name = localized(data)
    chart = narrow = None
    if data["chain"] is not None:
        title = _("Localization rate of %(chain)s by month", chain=name)
        chart = trend_svg(data["chain"]["snapshots"], data["chain"]["target"], title)
        narrow = trend_svg(data["chain"]["snapshots"], data["chain"]["target"], title, SMALL)  # phones
    leaders = [{**l, "chart": trend_svg(l["snapshots"], None, firm_name(l), SMALL)} for l in data["leaders"]]
    return render_template("officials/rates.html", data=data, name=name, chart=chart, narrow=narrow,
                           leaders=leaders)


@web_bp.get("/enterprises/<enterprise_id>/rates")
def enterprise_rates(enterprise_id: str):
    """A leader's own trend (its accounts, officials and admins)."""
    from graph import enterprises as enterprise_repo
    from graph import rate_snapshots as snapshot_repo

    principal = current_principal()
    require_rates(principal, "")
    firm = enterprise_repo.get(get_graph(), enterprise_id)
    if firm is None or firm.get("role") != "leader" or not may_see_rates(principal, enterprise_id):
        raise NotFound(N_("no leader with id '%(id)s'") % {"id": enterprise_id})
    snapshots = snapshot_repo.of_scope(get_graph(), "leader", [enterprise_id])[enterprise_id]
    chart = trend_svg(snapshots, None, _("Localization rate of %(firm)s by month", firm=firm_name(firm)))
    return render_template("officials/enterprise_rates.html", firm=firm, chart=chart, snapshots=snapshots)


@web_bp.get("/chains/<chain_id>/report")
def chain_report(chain_id: str):
    report = dashboard_service.chain_report(get_graph(), current_principal(), chain_id, lists=get_lists())
    name = localized(report["chain"])
    chart = trend_svg(report["snapshots"], report["chain"].get("localization_target"),
                      _("Localization rate of %(chain)s by month", chain=name))
    return render_template("officials/report.html", report=report, name=name, chart=chart, trends=trend_names())


@web_bp.record_once
def _template_helpers(state) -> None:
    state.app.jinja_env.globals["pct"] = _pct
