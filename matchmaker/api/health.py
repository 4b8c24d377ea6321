"""GET /api/v1/health."""
from flask import jsonify

from graph import schema
from graph.errors import GraphUnavailable

from ..extensions import get_graph
from . import api_bp


@api_bp.get("/health")
def health():
    db = get_graph()
    try:
        agent = db.server_agent()
        version = schema.current_version(db)
    except GraphUnavailable as exc:
        return jsonify({"status": "unavailable", "graph": {"ok": False, "error": str(exc)}}), 503
    return jsonify({"status": "ok", "graph": {
        "ok": True, "backend": "embedded" if db.settings.embedded else "external",
        "agent": agent, "database": db.settings.database,
        "schema_version": version, "schema_latest": schema.LATEST}})
