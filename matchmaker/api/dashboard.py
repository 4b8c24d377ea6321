"""GET /api/v1/dashboard (every chain at a glance) and /api/v1/chains/<id>/rates (snapshots, oldest first)."""
from __future__ import annotations

from ..extensions import get_graph, get_lists
from ..security import current_principal
from ..services import dashboard, rate_snapshots
from . import api_bp
from .envelope import one


@api_bp.get("/dashboard")
def officials_dashboard():
    return one(dashboard.dashboard(get_graph(), current_principal(), lists=get_lists()))


@api_bp.get("/chains/<chain_id>/rates")
def chain_rates(chain_id: str):
    return one(rate_snapshots.chain_rates(get_graph(), current_principal(), chain_id))
