"""Signing in through the /login form, from a chosen client address."""
from __future__ import annotations

from tests.matrix_helpers import csrf_of


def client_at(app, address: str = "127.0.0.1"):
    """A test client whose requests come from `address` (request.remote_addr)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def sign_in(client, email: str, password: str, lang: str | None = None):
    """POST the login form (with its CSRF token); returns the response."""
    path = f"/login?lang={lang}" if lang else "/login"
    return client.post("/login", data={"email": email, "password": password, "csrf_token": csrf_of(client, path)})


def session_id(client) -> str | None:
    """The server-side session id the client's signed cookie carries (flask-login's user id)."""
    with client.session_transaction() as session:
        return session.get("_user_id")
