"""GET /api/v1/chains/<id>/gap-map: each category of a chain with its local coverage and the demand at stake."""
from __future__ import annotations

from ..extensions import get_graph
from ..services import gap_maps
from . import api_bp
from .envelope import one


@api_bp.get("/chains/<chain_id>/gap-map")
def chain_gap_map(chain_id: str):
    return one(gap_maps.chain_gap_map(get_graph(), chain_id).as_dict())
