"""Sessions (flask-login), CSRF on forms, Bearer tokens on the API, and the current principal."""
from __future__ import annotations

from flask import Flask, g, request
from flask_login import LoginManager, UserMixin, current_user
from flask_wtf.csrf import CSRFProtect

from graph import users as user_repo

from .errors import Unauthorized
from .extensions import get_graph
from .services.accounts import user_for_token
from .services.permissions import ANONYMOUS, Principal

csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "web.login"


class SessionUser(UserMixin):
    def __init__(self, user: dict):
        self.data = user
        self.id = user["id"]

    @property
    def is_active(self) -> bool:
        return bool(self.data.get("active"))


@login_manager.user_loader
def _load_user(user_id: str) -> SessionUser | None:
    user = user_repo.get(get_graph(), user_id)
    return SessionUser(user) if user else None


def current_principal() -> Principal:
    """The caller: a Bearer token's user on the API, else the session's user, else anonymous."""
    if "principal" in g:
        return g.principal
    if current_user.is_authenticated:
        return Principal.of(current_user.data)
    return ANONYMOUS


def authenticate_api_request() -> None:
    """before_request of the API blueprint."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        user = user_for_token(get_graph(), header[7:].strip())
        if user is None:
            raise Unauthorized("the API token is unknown or revoked")
        g.principal = Principal.of(user)
    elif current_user.is_authenticated and request.method not in ("GET", "HEAD", "OPTIONS"):
        csrf.protect()  # a browser session writing through the API must prove it is our page


def init_app(app: Flask) -> None:
    app.jinja_env.globals["current_principal"] = current_principal
    csrf.init_app(app)
    login_manager.init_app(app)
    from .api import api_bp

    csrf.exempt(api_bp)
