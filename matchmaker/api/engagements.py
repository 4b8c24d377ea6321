"""/api/v1/engagements: invite (POST), list (GET), read with history (GET /<id>), move or correct (PATCH /<id>).

GET answers carry the engagement's version as ETag; PATCH takes it back as If-Match (or `version`).
A refused move is 403 (this account's side may not) or 409 (no one may from this stage), both naming
the allowed next stages (`allowed`, and `messages` in en and zh). (GET /engagements/funnel is the
funnel's, a static rule Flask prefers to /<engagement_id>.)
"""
from __future__ import annotations

from flask import jsonify

from ..docking import engagements as service
from ..extensions import get_graph
from ..schemas.engagements import (EngagementCreate, EngagementDump, EngagementPatch, EngagementQuery,
                                   EngagementSummaryDump)
from ..security import current_principal
from . import api_bp
from .envelope import paged
from .items import expected_version
from .parsing import load, load_args


def _answer(engagement: dict, status: int = 200):
    response = jsonify({"data": EngagementDump().dump(engagement)})
    response.status_code = status
    response.set_etag(str(engagement.get("version")))
    if status == 201:
        response.headers["Location"] = service.url_of(engagement["id"])
    return response


@api_bp.post("/engagements")
def create_engagement():
    data = load(EngagementCreate())
    return _answer(service.invite(get_graph(), current_principal(), data["demand_item_id"], data["supplier_id"],
                                  data["supply_item_id"], data["note"]), 201)


@api_bp.get("/engagements")
def list_engagements():
    found = service.search(get_graph(), current_principal(), load_args(EngagementQuery()))
    return paged(EngagementSummaryDump(many=True).dump(found.items), found.total, found.page,
                 found.per_page)


@api_bp.get("/engagements/<engagement_id>")
def get_engagement(engagement_id: str):
    return _answer(service.get(get_graph(), current_principal(), engagement_id))


@api_bp.patch("/engagements/<engagement_id>")
def patch_engagement(engagement_id: str):
    data = load(EngagementPatch())
    version = expected_version(data.pop("version", None))
    return _answer(service.change(get_graph(), current_principal(), engagement_id, data, version))
