"""Structured logs: one JSON object per line on stderr, each naming the request it was written for.

A request's id comes from a valid incoming `X-Request-Id` (a proxy's, so its lines and ours join
up) or is made here; it is echoed in the response and put on every line logged while the request
is handled (a contextvar, read by a logging.Filter), including the access line with method, path,
status and duration. `serve` configures the format for gunicorn and the app alike (LOG_FORMAT=json,
its default there, or text); elsewhere (tests, the CLI) logging stays as Python and Flask set it.
"""
from __future__ import annotations

import contextvars
import json
import logging
import os
import re
import time
import uuid
from datetime import datetime, timezone

from flask import Flask, Response, g, request

HEADER = "X-Request-Id"
NO_REQUEST = "-"
FORMATS = ("json", "text")
# Bounded and plain: an id is copied into every log line, so it must not smuggle in quotes,
# newlines or a megabyte of text.
_VALID_ID = re.compile(r"[A-Za-z0-9._:-]{8,64}")
_ACCESS_FIELDS = ("method", "path", "status", "duration_ms")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default=NO_REQUEST)
access_log = logging.getLogger("matchmaker.access")


def request_id_from(header: str | None) -> str:
    """The caller's id when it is well-formed, else a new one."""
    if header and _VALID_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def log_format(default: str = "text") -> str:
    """LOG_FORMAT (json or text); an unknown value falls back to json, which every collector reads."""
    value = os.environ.get("LOG_FORMAT", "").strip().lower() or default
    return value if value in FORMATS else "json"


class RequestIdFilter(logging.Filter):
    """Stamps each record with the id of the request being handled ("-" outside requests)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {"timestamp": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
                 "level": record.levelname, "logger": record.name, "message": record.getMessage(),
                 "request_id": getattr(record, "request_id", current_request_id.get())}
        entry.update({name: getattr(record, name) for name in _ACCESS_FIELDS if hasattr(record, name)})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def logging_config(fmt: str, level: str = "INFO") -> dict:
    """A logging.config.dictConfig for the root logger and gunicorn's (its `logconfig_dict`)."""
    formatter = {"()": JsonFormatter} if fmt == "json" else {"format": TEXT_FORMAT}
    handler = {"class": "logging.StreamHandler", "stream": "ext://sys.stderr",
               "formatter": "default", "filters": ["request_id"]}
    return {
        "version": 1, "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"default": formatter},
        "handlers": {"stderr": handler},
        "root": {"level": level, "handlers": ["stderr"]},
        "loggers": {"gunicorn.error": {"level": level, "handlers": ["stderr"], "propagate": False},
                    # The access line is the app's (_finish), which knows the request id.
                    "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False}},
    }


def init_app(app: Flask) -> None:
    """Give each request its id and write its access line; register before other hooks."""
    app.before_request(_begin)
    app.after_request(_finish)
    app.teardown_request(_forget)


def _begin() -> None:
    g.request_id = request_id_from(request.headers.get(HEADER))
    g.request_id_token = current_request_id.set(g.request_id)
    g.request_started = time.perf_counter()


def _finish(response: Response) -> Response:
    if "request_id" not in g:  # a hook that ran before ours failed: still answer with an id
        _begin()
    response.headers[HEADER] = g.request_id
    duration_ms = round((time.perf_counter() - g.request_started) * 1000, 1)
    access_log.info("%s %s %s", request.method, request.path, response.status_code,
                    extra={"method": request.method, "path": request.path,
                           "status": response.status_code, "duration_ms": duration_ms})
    return response


def _forget(_exc: BaseException | None) -> None:
    token = g.pop("request_id_token", None)
    if token is not None:
        current_request_id.reset(token)
