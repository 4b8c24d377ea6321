"""Domain errors and the one error shape every response uses.

Services raise these; the handlers below turn them into HTTP answers:
JSON `{"error": {"code", "message", "fields"}}` under /api, a page elsewhere.
"""
from __future__ import annotations

from flask import Flask, current_app, g, jsonify, make_response, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from graph.errors import DuplicateKey, GraphUnavailable


def N_(message: str) -> str:
    """Marks a fixed English message for the Chinese catalogue (gettext_noop).

    Services raise it as is and the JSON API sends it as is; pages show its translation
    (matchmaker/web/messages.py). Messages built with values are not marked: they stay English.
    """
    return message


GRAPH_DOWN = N_("The database cannot be reached right now; try again in a minute.")
GRAPH_RETRY_AFTER = 30  # seconds: long enough for a graph server restart


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, fields: dict | None = None, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        self.extra = extra or {}  # more members of the JSON error (e.g. the `existing` engagement)


class BadRequest(DomainError):
    """The request itself cannot be read (e.g. JSON nested too deeply)."""
    status, code = 400, "bad_request"


class NotFound(DomainError):
    status, code = 404, "not_found"


class Forbidden(DomainError):
    status, code = 403, "forbidden"


class Unauthorized(DomainError):
    status, code = 401, "unauthorized"


class Conflict(DomainError):
    status, code = 409, "conflict"


class Invalid(DomainError):
    status, code = 422, "invalid"


class TooManyRequests(DomainError):
    status, code = 429, "too_many_requests"


def error_body(code: str, message: str, fields: dict | None = None, extra: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}, **(extra or {})}}


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _respond(status: int, code: str, message: str, fields: dict | None = None, extra: dict | None = None):
    if _wants_json():
        return jsonify(error_body(code, message, fields, extra)), status
    return render_template("error.html", status=status, message=message, fields=fields or {}), status


def init_app(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        if isinstance(exc, Unauthorized) and not _wants_json():
            return redirect(url_for("web.login", next=request.full_path.rstrip("?")))
        return _respond(exc.status, exc.code, exc.message, exc.fields, exc.extra)

    @app.errorhandler(DuplicateKey)
    def duplicate(exc: DuplicateKey):
        return _respond(409, "conflict", "an item with this id exists already")

    @app.errorhandler(GraphUnavailable)
    def graph_down(exc: GraphUnavailable):
        # The cause names the server's address and ports: it goes to the log, never to the caller.
        # The next request tries again (graph.db.GraphDB reconnects), so the app recovers on its own.
        app.logger.error("graph unavailable: %s", exc)
        # Every page loads the signed-in account from the graph (flask-login's template context):
        # this one is drawn as for a visitor, so that it cannot fail in turn. flask-login keeps the
        # request's user in g._login_user.
        g._login_user = current_app.login_manager.anonymous_user()
        response = make_response(_respond(503, "graph_unavailable", GRAPH_DOWN))
        response.headers["Retry-After"] = str(GRAPH_RETRY_AFTER)
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        code = (exc.name or "error").lower().replace(" ", "_")
        message = exc.description or exc.name
        if not _wants_json():  # the JSON API keeps werkzeug's text; pages say it in the reader's words
            message = _PAGE_MESSAGES.get("csrf" if exc.__class__.__name__ == "CSRFError" else exc.code or 500, message)
            if exc.code == 413:
                message %= {"mb": (app.config.get("MAX_CONTENT_LENGTH") or 0) // 2**20}
        response, status = _respond(exc.code or 500, code, message)
        allow = dict(exc.get_headers()).get("Allow")   # a 405 names the methods the address takes (RFC 9110)
        return (response, status, {"Allow": allow}) if allow else (response, status)


# Pages' words for the HTTP errors werkzeug raises (a missing page, a form without its CSRF token ...).
_PAGE_MESSAGES = {
    400: N_("The request could not be read. If you sent a form, reload the page and send it again."),
    "csrf": N_("The form's security token (CSRF) is missing or has expired. Reload the page and send it again."),
    404: N_("This page does not exist. Check the address, or start again from the home page."),
    405: N_("This address does not accept that kind of request."),
    413: N_("The upload is too large: send at most %(mb)s MB."),
    500: N_("Something went wrong on our side. Try again in a moment."),
}
