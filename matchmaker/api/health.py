"""GET /api/v1/health (liveness) and /api/v1/ready (readiness).

Anonymous callers learn only whether the graph answers; which server, its version and the schema
are for officials and admins (a version string tells an attacker which exploits to try).
"""
from flask import jsonify

from graph import schema
from graph.errors import GraphUnavailable

from ..extensions import get_graph
from ..security import current_principal
from ..services.permissions import is_manager
from . import api_bp


@api_bp.get("/health")
def health():
    db = get_graph()
    try:
        agent = db.server_agent()
        version = schema.current_version(db)
    except GraphUnavailable as exc:
        details = {"graph": {"ok": False, "error": str(exc)}} if is_manager(current_principal()) else {}
        return jsonify({"status": "unavailable", **details}), 503
    if not is_manager(current_principal()):
        return jsonify({"status": "ok"})
    return jsonify({"status": "ok", "graph": {
        "ok": True, "backend": "embedded" if db.settings.embedded else "external",
        "agent": agent, "database": db.settings.database,
        "schema_version": version, "schema_latest": schema.LATEST}})


@api_bp.get("/ready")
def ready():
    """200 when the graph answers and its schema is this code's latest; else 503 (e.g. for a load balancer)."""
    try:
        current = schema.current_version(get_graph()) == schema.LATEST
    except GraphUnavailable:
        current = False
    return jsonify({"status": "ready" if current else "unavailable"}), 200 if current else 503
