"""The docking funnel page: chain and leader pickers, the funnel drawn as SVG, the table."""
from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from markupsafe import Markup

from graph import chains as chain_repo

from ..charts.funnel import funnel_svg
from ..docking.funnel import funnel_view, leader_choices
from ..extensions import get_graph
from ..schemas.rounds import FunnelQuery
from ..security import current_principal
from . import web_bp
from .formats import money
from .forms import args_data
from .engagements import status_label


@web_bp.get("/funnel")
def funnel_page():
    principal = current_principal()
    args = args_data(FunnelQuery())
    view = funnel_view(get_graph(), principal, args["chain"], args["leader"])
    chains = chain_repo.chain_names(get_graph())
    in_charge = view["scope"]["chains"]
    rows = [{"label": status_label(s["stage"]), "count": s["count"], "note": money(s["demand_value"])}
            for s in view["funnel"]["stages"]]
    chart = Markup(funnel_svg(rows, _("Docking funnel")))  # noqa: S704 - every text in it is escaped
    leaders = leader_choices(get_graph(), principal, args["chain"])
    return render_template("funnel.html", **view, chart=chart, leaders=leaders,
                           chains=[c for c in chains if not in_charge or c["id"] in in_charge],
                           chain_by_id={c["id"]: c for c in chains},
                           leader_by_id={f["id"]: f for f in leaders}, chain=args["chain"], leader=args["leader"])
