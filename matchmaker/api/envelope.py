"""The one success envelope of /api/v1: {"data": ...}, lists with their counts or paging."""
from __future__ import annotations

from flask import jsonify


def page_count(total: int, per_page: int) -> int:
    """Pages of `per_page` needed for `total` rows; an empty list still has one page."""
    return max(1, -(-total // per_page))


def paging(total: int, page: int, per_page: int) -> dict:
    return {"total": total, "page": page, "per_page": per_page, "pages": page_count(total, per_page)}


def one(data, status: int = 200):
    return jsonify({"data": data}), status


def listed(data: list):
    """A whole (short) list: {"data": [...], "count": n}."""
    return jsonify({"data": data, "count": len(data)})


def paged(data, total: int, page: int, per_page: int, **extra):
    """One page of a long list: {"data": [...], "total", "page", "per_page", "pages"}; `extra` adds
    members (an edition's `rows` page, whose `data` is the edition itself)."""
    return jsonify({"data": data, **extra, **paging(total, page, per_page)})
