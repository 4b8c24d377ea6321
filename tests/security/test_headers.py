"""Security headers on every kind of response, and templates the Content-Security-Policy can hold."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from matchmaker.headers import CSP

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
EXPECTED = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
            "Referrer-Policy": "strict-origin-when-cross-origin"}


def directives(policy: str) -> dict[str, list[str]]:
    parts = [p.split() for p in policy.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


def assert_secure(response) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (name, response.status_code)
    policy = directives(response.headers["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"] and policy["script-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
    assert policy["form-action"] == ["'self'"] and policy["base-uri"] == ["'self'"]


@pytest.fixture
def failing_app(app):
    """The app with one route that raises, answered as a real 500 (not re-raised to the test)."""
    def boom():
        raise RuntimeError("boom")

    app.add_url_rule("/boom-for-test", "boom_for_test", boom)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


@pytest.mark.parametrize("method, path, status", [
    ("GET", "/", 200),                                 # a page
    ("GET", "/api/v1/chains", 200),                    # API JSON
    ("GET", "/static/app.css", 200),                   # a static file
    ("GET", "/static/print.js", 200),
    ("GET", "/no-such-page", 404),                     # a missing page
    ("GET", "/api/v1/no-such-thing", 404),             # a missing API path
    ("POST", "/logout", 400),                          # a form without its CSRF token
    ("GET", "/account", 302),                          # a redirect
    ("GET", "/api/v1/auth/tokens", 401),               # an API error
    ("DELETE", "/api/v1/chains", 405),
    ("GET", "/boom-for-test", 500),                    # an unexpected error
])
def test_every_kind_of_response_has_the_headers(failing_app, method, path, status):
    response = failing_app.test_client().open(path, method=method)
    assert response.status_code == status
    assert_secure(response)
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP


def test_hsts_only_over_https_and_switchable(app):
    client = app.test_client()
    secure = client.get("/api/v1/health", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    app.config["HSTS_SECONDS"] = 0
    assert "Strict-Transport-Security" not in client.get("/api/v1/health", base_url="https://localhost").headers


def test_behind_a_proxy_the_forwarded_scheme_and_address_count(db, tmp_path, monkeypatch):
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    monkeypatch.setenv("PROXY_HOPS", "1")
    from matchmaker import create_app
    from matchmaker.services.signin_throttle import PAIR
    from tests.matrix_helpers import FAST_PASSWORD, fast_user

    client = create_app({"TESTING": True, "GRAPH_DB": db, "MATCH_BUILDER_THREAD": False}).test_client()
    response = client.get("/api/v1/health", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in response.headers
    owner = fast_user(db, "official")

    def token(address: str, password: str) -> int:
        return client.post("/api/v1/auth/token", json={"email": owner["email"], "password": password},
                           headers={"X-Forwarded-For": address}).status_code

    assert [token("198.51.100.9", "wrong-password-1") for _ in range(PAIR.failures)] == [401] * PAIR.failures
    assert token("198.51.100.9", FAST_PASSWORD) == 429
    assert token("198.51.100.10", FAST_PASSWORD) == 201  # another client behind the same proxy


def test_the_policy_allows_no_inline_script():
    policy = directives(CSP)
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I | re.S)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


@pytest.mark.parametrize("path", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_template_has_inline_script_or_event_handlers(path):
    text = path.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text), INLINE_SCRIPT.search(text).group(0)
    assert not HANDLER.search(text), HANDLER.search(text).group(0)[-80:]
    assert not JS_URL.search(text)


def test_print_links_use_the_static_script(client):
    page = client.get("/chains/nev").get_data(as_text=True)
    assert "data-print" in page and "/static/print.js" in page


def test_gunicorn_does_not_name_itself():
    import gunicorn.http.wsgi

    import matchmaker.cli.gunicorn_hooks  # noqa: F401  (serve's gunicorn config module)

    assert gunicorn.http.wsgi.SERVER == "matchmaker"


def test_every_template_with_a_print_link_loads_the_script():
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if "data-print" in text:
            assert "filename='print.js'" in text, path
