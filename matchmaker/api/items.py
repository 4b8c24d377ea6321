"""/api/v1/supply-items and /api/v1/demand-items: list, read, create, patch, end."""
from __future__ import annotations

from flask import current_app, jsonify

from ..extensions import get_graph
from ..matching.category_review import with_suggestions
from ..schemas.items import LOAD_SCHEMAS, ItemDump, ItemListQuery
from ..security import current_principal
from ..services import items as item_service
from . import api_bp
from .envelope import paged
from .parsing import load, load_args

PATHS = {"supply": "supply-items", "demand": "demand-items"}


def _home() -> str:
    return current_app.config["HOME_REGION"]


def _register(kind: str) -> None:
    path = f"/{PATHS[kind]}"

    def list_items():
        page = item_service.list_items(get_graph(), current_principal(), kind, load_args(ItemListQuery()))
        return paged(ItemDump(many=True).dump(page.items), page.total, page.page, page.per_page)

    def get_item(item_id: str):
        item = item_service.get_item(get_graph(), current_principal(), kind, item_id)
        return jsonify({"data": ItemDump().dump(with_suggestions(get_graph(), item))})

    def create_item():
        data = load(LOAD_SCHEMAS[kind]())
        item = item_service.create_item(get_graph(), current_principal(), kind, data, _home())
        return jsonify({"data": ItemDump().dump(item)}), 201

    def patch_item(item_id: str):
        changes = load(LOAD_SCHEMAS[kind](partial=True))
        item = item_service.update_item(get_graph(), current_principal(), kind, item_id, changes, _home())
        return jsonify({"data": ItemDump().dump(item)})

    def end_item(item_id: str):
        item = item_service.end_item(get_graph(), current_principal(), kind, item_id, _home())
        return jsonify({"data": ItemDump().dump(item)})

    def history(item_id: str):
        return jsonify({"data": item_service.item_history(get_graph(), current_principal(), kind, item_id)})

    for view, rule, methods in ((list_items, path, ["GET"]), (create_item, path, ["POST"]),
                                (get_item, f"{path}/<item_id>", ["GET"]),
                                (patch_item, f"{path}/<item_id>", ["PATCH"]),
                                (end_item, f"{path}/<item_id>", ["DELETE"]),
                                (history, f"{path}/<item_id>/history", ["GET"])):
        api_bp.add_url_rule(rule, f"{kind}_{view.__name__}", view, methods=methods)


for _kind in PATHS:
    _register(_kind)
