"""/api/v1/supply-items and /api/v1/demand-items: list, read, create, patch, end.

GET answers carry the item's version as its ETag; PATCH and DELETE take it back as
If-Match (or `version` in the body) and answer 409 when the item changed meanwhile.
"""
from __future__ import annotations

from flask import current_app, jsonify, request

from ..errors import Invalid
from ..extensions import get_graph, get_item_repository
from ..matching.category_review import with_suggestions
from ..schemas.items import LOAD_SCHEMAS, ItemDump, ItemListQuery
from ..schemas.versions import PATCH_SCHEMAS
from ..security import current_principal
from ..services import items as item_service
from . import api_bp
from .envelope import paged
from .parsing import load, load_args

PATHS = {"supply": "supply-items", "demand": "demand-items"}


def _home() -> str:
    return current_app.config["HOME_REGION"]


def _with_etag(item: dict, status: int = 200):
    response = jsonify({"data": ItemDump().dump(item)})
    response.status_code = status
    response.set_etag(str(item.get("version")))
    return response


def expected_version(body_version: int | None) -> int | None:
    """The version an edit was made on: If-Match ("3", W/"3" or *) or the body's `version`."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return body_version
    tag = header.removeprefix("W/").strip('"')
    if not tag.isdigit():
        raise Invalid("If-Match must be the item's ETag, e.g. \"3\"", {"If-Match": ["not a version"]})
    if body_version is not None and body_version != int(tag):
        raise Invalid("If-Match and version differ: send one of them",
                      {"version": ["differs from If-Match"]})
    return int(tag)


def _register(kind: str) -> None:
    path = f"/{PATHS[kind]}"

    def list_items():
        page = item_service.list_items(get_item_repository(), current_principal(), kind,
                                       load_args(ItemListQuery()))
        return paged(ItemDump(many=True).dump(page.items), page.total, page.page, page.per_page)

    def get_item(item_id: str):
        item = item_service.get_item(get_item_repository(), current_principal(), kind, item_id)
        return _with_etag(with_suggestions(get_graph(), item))

    def create_item():
        data = load(LOAD_SCHEMAS[kind]())
        item = item_service.create_item(get_item_repository(), current_principal(), kind, data, _home())
        return _with_etag(item, 201)

    def patch_item(item_id: str):
        changes = load(PATCH_SCHEMAS[kind](partial=True))
        version = expected_version(changes.pop("version", None))
        item = item_service.update_item(get_item_repository(), current_principal(), kind, item_id, changes,
                                        _home(), version)
        return _with_etag(item)

    def end_item(item_id: str):
        item = item_service.end_item(get_item_repository(), current_principal(), kind, item_id, _home(),
                                     expected_version(None))
        return _with_etag(item)

    def history(item_id: str):
        return jsonify({"data": item_service.item_history(get_item_repository(), current_principal(), kind,
                                                          item_id)})

    for view, rule, methods in ((list_items, path, ["GET"]), (create_item, path, ["POST"]),
                                (get_item, f"{path}/<item_id>", ["GET"]),
                                (patch_item, f"{path}/<item_id>", ["PATCH"]),
                                (end_item, f"{path}/<item_id>", ["DELETE"]),
                                (history, f"{path}/<item_id>/history", ["GET"])):
        api_bp.add_url_rule(rule, f"{kind}_{view.__name__}", view, methods=methods)


for _kind in PATHS:
    _register(_kind)
