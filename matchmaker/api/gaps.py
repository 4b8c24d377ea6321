"""GET /api/v1/chains/<id>/gap-map (each category of a chain with its local coverage, the demand at stake and,
for those who may see rates, its localization rate) and /api/v1/chains/<id>/resilience."""
from __future__ import annotations

from ..extensions import get_graph, get_lists
from ..security import current_principal
from ..services import gap_maps, resilience
from ..services.permissions import may_see_rates
from . import api_bp
from .envelope import one


@api_bp.get("/chains/<chain_id>/gap-map")
def chain_gap_map(chain_id: str):
    rates = may_see_rates(current_principal(), None)
    return one(gap_maps.chain_gap_map(get_graph(), chain_id, rates=rates, lists=get_lists()).as_dict())


@api_bp.get("/chains/<chain_id>/resilience")
def chain_resilience(chain_id: str):
    return one(resilience.chain_resilience(get_graph(), current_principal(), chain_id, lists=get_lists()))
