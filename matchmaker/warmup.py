"""Opening the list and match indexes ahead of the first request, once per process.

Opening them starts the process's index builder threads: the one that wins a kind's
builder lock builds it (lists answer from the graph until then), the others keep trying.

Nothing starts at import (wsgi.py only creates the app): under `serve`, gunicorn's
`post_worker_init` hook (matchmaker/cli/gunicorn_hooks.py) starts it as a worker boots;
anywhere else the first request does. Test apps leave it off unless CATALOG_WARMUP is set.
"""
from __future__ import annotations

import logging
import os
import threading

from flask import Flask

_LOCK = threading.Lock()
log = logging.getLogger(__name__)


def start(app: Flask) -> threading.Thread | None:
    """Start this process's warm-up for the app's graph unless it has started; returns its thread."""
    state = app.extensions.setdefault("catalog_warmup", {"pid": None, "thread": None})
    with _LOCK:
        if state["pid"] == os.getpid():
            return None
        app.extensions["lists"].start()
        thread = threading.Thread(target=_warm_matching, args=(app,), daemon=True, name="matching-warmup")
        state["pid"], state["thread"] = os.getpid(), thread
        thread.start()
        return thread


def _warm_matching(app: Flask) -> None:
    """Open the match index (which starts the elected index builder) and load the encoder."""
    runtime = app.extensions["matching"]
    try:
        runtime.engine()
        if runtime.vectors is not None:
            runtime.encoder.encode(["warm-up"])
    except Exception:  # the graph may be starting: the first matching request tries again
        log.warning("matching warm-up failed", exc_info=True)


def init_app(app: Flask) -> None:
    if not app.config.get("CATALOG_WARMUP", not app.testing):
        return

    @app.before_request
    def _warm_on_first_request() -> None:
        start(app)
