"""GET /api/v1/localization (all chains) and /api/v1/chains/<id>/localization (one chain's breakdown)."""
from __future__ import annotations

from ..extensions import get_graph, get_lists, get_matching
from ..security import current_principal
from ..services import localization
from . import api_bp
from .envelope import listed, one


@api_bp.get("/localization")
def all_chains_localization():
    return listed(localization.all_chains(get_graph(), get_matching(), current_principal(), get_lists()))


@api_bp.get("/chains/<chain_id>/localization")
def chain_localization(chain_id: str):
    return one(localization.one_chain(get_graph(), get_matching(), current_principal(), chain_id,
                                     get_lists()))
