"""JSON API under /api/v1."""
from flask import Blueprint

from ..security import authenticate_api_request

api_bp = Blueprint("api", __name__, url_prefix="/api/v1")
api_bp.before_request(authenticate_api_request)

from . import (auth, category_suggestions, chains, editions, enterprises, gaps, health, imports, items,  # noqa: E402,F401
               matches, notifications, openapi)  # (routes register on import)
from . import localization, plans  # noqa: E402,F401  (localization rates, batch plan)
from . import engagements  # noqa: E402,F401  (docking)
from . import funnel, rounds  # noqa: E402,F401  (docking: funnel, matchmaking rounds)
from . import dashboard  # noqa: E402,F401  (rates over time, the officials' dashboard)

api_bp.before_request(openapi.sign_in_first)  # after authenticate_api_request: a 401 before any 422
