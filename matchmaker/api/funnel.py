"""/api/v1/engagements/funnel: the docking funnel of a scope (chain, leader)."""
from __future__ import annotations

from ..docking.funnel import funnel_view
from ..extensions import get_graph
from ..schemas.rounds import FunnelQuery
from ..security import current_principal
from . import api_bp
from .envelope import one
from .parsing import load_args


@api_bp.get("/engagements/funnel")
def engagement_funnel():
    args = load_args(FunnelQuery())
    return one(funnel_view(get_graph(), current_principal(), args["chain"], args["leader"]))
