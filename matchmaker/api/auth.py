"""/api/v1/auth (tokens, sign-up) and /api/v1/users (approval)."""
from __future__ import annotations

import time

from flask import current_app

from graph import users as user_repo

from ..extensions import get_graph
from ..schemas.auth import Approval, Rejection, SignUp, TokenRequest, UserDump
from ..security import current_principal, sign_in_client
from ..services import accounts, signups
from ..services.permissions import require_login, require_manager
from . import api_bp
from .envelope import one
from .parsing import load


@api_bp.post("/auth/token")
def issue_token():
    data = load(TokenRequest())
    user = accounts.authenticate(get_graph(), data["email"], data["password"], time.time(),
                                 sign_in_client(data["email"]))
    token, record = accounts.issue_token(get_graph(), user, data["name"])
    return one({"token": token, "id": record["id"], "user": UserDump().dump(user)}, 201)


@api_bp.get("/auth/tokens")
def list_tokens():
    principal = current_principal()
    require_login(principal)
    return one(user_repo.list_tokens(get_graph(), principal.id))


@api_bp.delete("/auth/tokens/<token_id>")
def revoke_token(token_id: str):
    principal = current_principal()
    require_login(principal)
    accounts.revoke(get_graph(), principal, token_id)
    return one({"id": token_id, "revoked": True})


@api_bp.post("/auth/signup")
def sign_up():
    user = accounts.sign_up(get_graph(), **load(SignUp()))
    return one(UserDump().dump(user), 201)


@api_bp.get("/users")
def pending_users():
    require_manager(current_principal())
    return one(UserDump(many=True).dump(accounts.pending(get_graph())))


@api_bp.post("/users/<user_id>/approve")
def approve_user(user_id: str):
    user = signups.decide_approval(get_graph(), current_principal(), user_id, load(Approval()),
                                   current_app.config["HOME_REGION"])
    return one(UserDump().dump(user))


@api_bp.post("/users/<user_id>/reject")
def reject_user(user_id: str):
    data = load(Rejection())
    user = signups.reject(get_graph(), current_principal(), user_id, data["reason"], data["note"])
    return one(UserDump().dump(user))
