"""/api/v1 matching: suppliers for a demand item, opportunities for an SME, verdicts on suggestions."""
from __future__ import annotations

from flask import jsonify

from ..extensions import get_graph, get_matching
from ..matching import service
from ..matching.engine import Filters
from ..schemas.matches import FeedbackLoad, MatchQuery
from ..security import current_principal
from . import api_bp
from .parsing import load, load_args


def _filters(args: dict) -> Filters:
    return Filters(args["local_only"], args["tier"], args["certification"])


@api_bp.get("/demand-items/<item_id>/matches")
def demand_matches(item_id: str):
    args = load_args(MatchQuery())
    found = service.suppliers_for_demand(get_graph(), get_matching(), current_principal(), item_id,
                                         _filters(args), args["limit"])
    return jsonify({"data": found, "total": len(found)})


@api_bp.get("/enterprises/<enterprise_id>/opportunities")
def enterprise_opportunities(enterprise_id: str):
    args = load_args(MatchQuery())
    found = service.opportunities_for_enterprise(get_graph(), get_matching(), current_principal(), enterprise_id,
                                                 _filters(args), args["limit"])
    return jsonify({"data": found, "total": len(found)})


@api_bp.post("/demand-items/<item_id>/matches/<enterprise_id>/feedback")
def match_feedback(item_id: str, enterprise_id: str):
    data = load(FeedbackLoad())
    stored = service.record_feedback(get_graph(), current_principal(), item_id, enterprise_id,
                                     data["verdict"], data["reason"])
    return jsonify({"data": stored}), 201
