"""Sessions (flask-login over server-side records), CSRF on forms, Bearer tokens on the API,
device cookies for sign-in throttling, and the current principal."""
from __future__ import annotations

import secrets
import time

from flask import Flask, current_app, g, jsonify, request, session
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFProtect
from itsdangerous import BadSignature, URLSafeTimedSerializer

from . import sessions
from .errors import Unauthorized, error_body
from .extensions import get_graph
from .services.accounts import public, user_for_token
from .services.permissions import ANONYMOUS, Principal
from .services.signin_throttle import Client, SignInThrottled

csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "web.login"

DEVICE_COOKIE = "device"
DEVICE_DAYS = 180


class SessionUser(UserMixin):
    """A signed-in user; its flask-login id is the server-side session's id, not the user's."""

    def __init__(self, user: dict, session_id: str):
        self.data = user
        self.id = session_id

    @property
    def is_active(self) -> bool:
        return bool(self.data.get("active"))


def _lifetimes() -> sessions.Lifetimes:
    return sessions.Lifetimes(current_app.config["SESSION_IDLE_SECONDS"], current_app.config["SESSION_MAX_SECONDS"])


@login_manager.user_loader
def _load_user(session_id: str) -> SessionUser | None:
    user = sessions.resume(get_graph(), session_id, time.time(), _lifetimes())
    return SessionUser(public(user), session_id) if user else None


def sign_in(user: dict) -> None:
    """Start a new server-side session (a new id at every sign-in: no session fixation)."""
    lang = session.get("lang")  # the reader's chosen language (matchmaker/i18n.py) outlives the old session
    session.clear()
    if lang:
        session["lang"] = lang
    session_id = sessions.start(get_graph(), user, time.time(), _lifetimes())
    session.permanent = True  # the cookie expires with the absolute timeout
    login_user(SessionUser(user, session_id))


def sign_out() -> None:
    """End the server-side session first, so a copy of the old cookie is dead at once."""
    if current_user.is_authenticated:
        sessions.end(get_graph(), current_user.get_id())
    logout_user()
    session.clear()


# -- device cookies (services/signin_throttle.py) --------------------------------

def _devices() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="device-cookie")


def sign_in_client(email: str) -> Client:
    """The client of a sign-in: its address, and its device id when it holds a device cookie for `email`."""
    return Client(request.remote_addr or "", _device_for(email))


def _device_for(email: str) -> str | None:
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return None
    try:
        held, device = _devices().loads(raw, max_age=DEVICE_DAYS * 86400)
    except (BadSignature, ValueError, TypeError):
        return None
    return device if held == (email or "").strip().lower() else None


def remember_device(response, email: str):
    """Give this browser a device cookie for the account it just signed in to."""
    value = _devices().dumps([email.strip().lower(), secrets.token_urlsafe(16)])
    response.set_cookie(DEVICE_COOKIE, value, max_age=DEVICE_DAYS * 86400, httponly=True, samesite="Lax",
                        secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


# -- the principal ---------------------------------------------------------------

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


def _throttled(exc: SignInThrottled):
    """The API's 429 for sign-in throttling, with Retry-After (pages show the message themselves)."""
    body = error_body(exc.code, exc.message, exc.fields, exc.extra)
    return jsonify(body), exc.status, {"Retry-After": str(exc.retry_after)}


def init_app(app: Flask) -> None:
    app.jinja_env.globals["current_principal"] = current_principal
    csrf.init_app(app)
    login_manager.init_app(app)
    app.register_error_handler(SignInThrottled, _throttled)
    from .api import api_bp

    csrf.exempt(api_bp)
