"""POST /api/v1/plans {"chain"?}: the batch plan of local suppliers for open demand items (officials)."""
from __future__ import annotations

from ..docking import plans
from ..extensions import get_graph, get_matching
from ..schemas.plans import PlanLoad
from ..security import current_principal
from . import api_bp
from .envelope import one
from .parsing import load


@api_bp.post("/plans")
def make_plan():
    data = load(PlanLoad())
    return one(plans.make_plan(get_graph(), get_matching(), current_principal(), data["chain"]))
