"""Security headers on every response (pages, API, static files, errors).

The Content-Security-Policy allows scripts only from this site: templates hold no inline script
or on*= handler (tests/security/test_headers.py scans them; buttons use static/print.js). Inline
styles stay allowed: the rate bars size themselves with style= and print pages carry <style>.
"""
from __future__ import annotations

from flask import Flask, Response, current_app, request

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def secure_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    seconds = current_app.config.get("HSTS_SECONDS", 0)
    if seconds and request.is_secure:  # over plain HTTP a browser ignores it anyway
        response.headers.setdefault("Strict-Transport-Security", f"max-age={seconds}; includeSubDomains")
    return response


def init_app(app: Flask) -> None:
    app.after_request(secure_headers)
