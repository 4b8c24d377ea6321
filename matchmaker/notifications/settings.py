"""An account's demand-alert switch (on unless turned off)."""
from __future__ import annotations

from graph import users as user_repo
from graph.db import GraphDB

from ..errors import NotFound
from ..services.permissions import Principal, require_login


def account_settings(db: GraphDB, principal: Principal) -> dict:
    require_login(principal)
    user = user_repo.get(db, principal.id)
    if user is None:
        raise NotFound("your account no longer exists")
    return _settings(user)


def set_alerts_enabled(db: GraphDB, principal: Principal, enabled: bool) -> dict:
    """Turn the signed-in account's own demand alerts on or off."""
    require_login(principal)
    user = user_repo.set_alerts(db, principal.id, bool(enabled))
    if user is None:
        raise NotFound("your account no longer exists")
    return _settings(user)


def _settings(user: dict) -> dict:
    return {"id": user["id"], "email": user["email"], "role": user["role"],
            "enterprise_id": user.get("enterprise_id"), "alerts_enabled": user.get("alerts_enabled") is not False}
