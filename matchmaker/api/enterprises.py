"""/api/v1/enterprises: list, read; officials create and edit."""
from __future__ import annotations

from flask import current_app

from ..extensions import get_graph
from ..schemas.enterprises import EnterpriseDump, EnterpriseListQuery, EnterpriseLoad
from ..security import current_principal
from ..services import enterprises as enterprise_service
from . import api_bp
from .envelope import one, paged
from .parsing import load, load_args


@api_bp.get("/enterprises")
def list_enterprises():
    args = load_args(EnterpriseListQuery())
    page, total = enterprise_service.search_enterprises(get_graph(), args)
    return paged(EnterpriseDump(many=True).dump(page), total, args["page"], args["per_page"])


@api_bp.get("/enterprises/<enterprise_id>")
def get_enterprise(enterprise_id: str):
    enterprise = enterprise_service.get_enterprise(get_graph(), enterprise_id)
    return one(EnterpriseDump().dump(enterprise_service.visible(current_principal(), enterprise)))


@api_bp.post("/enterprises")
def create_enterprise():
    data = load(EnterpriseLoad())
    enterprise = enterprise_service.create_enterprise(get_graph(), current_principal(), data,
                                                      current_app.config["HOME_REGION"])
    return one(EnterpriseDump().dump(enterprise), 201)


@api_bp.patch("/enterprises/<enterprise_id>")
def update_enterprise(enterprise_id: str):
    changes = load(EnterpriseLoad(partial=True))
    enterprise = enterprise_service.update_enterprise(get_graph(), current_principal(), enterprise_id,
                                                      changes, current_app.config["HOME_REGION"])
    return one(EnterpriseDump().dump(enterprise))
