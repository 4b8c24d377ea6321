"""GET /api/v1/chains and /api/v1/chains/<id>."""

from ..extensions import get_graph, get_lists
from ..schemas.chains import ChainDetailSchema, ChainSummarySchema
from ..services import chains as chain_service
from . import api_bp
from .envelope import listed, one


@api_bp.get("/chains")
def list_chains():
    chains = chain_service.list_chains(get_graph(), get_lists())
    return listed(ChainSummarySchema(many=True).dump(chains))


@api_bp.get("/chains/<chain_id>")
def get_chain(chain_id: str):
    chain = chain_service.get_chain(get_graph(), chain_id)
    return one(ChainDetailSchema().dump(chain))
