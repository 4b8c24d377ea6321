"""/api/v1/category-suggestions: the officials' review of proposed categories."""
from __future__ import annotations

from flask import current_app, jsonify

from ..extensions import get_graph
from ..matching import category_review
from ..schemas.category_suggestions import QueueRowDump, ReviewLoad, ReviewQuery
from ..schemas.items import ItemDump
from ..security import current_principal
from . import api_bp
from .parsing import load, load_args


@api_bp.get("/category-suggestions")
def category_suggestions():
    args = load_args(ReviewQuery())
    rows = category_review.review_queue(get_graph(), current_principal(), args["chain"], args["status"])
    return jsonify({"data": QueueRowDump(many=True).dump(rows), "count": len(rows)})


@api_bp.post("/category-suggestions/<item_kind>/<item_id>")
def review_category(item_kind: str, item_id: str):
    data = load(ReviewLoad())
    item = category_review.review(get_graph(), current_principal(), item_kind, item_id, data["category_id"],
                                  current_app.config["HOME_REGION"])
    return jsonify({"data": ItemDump().dump(item)})
