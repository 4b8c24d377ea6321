"""gunicorn settings module of `serve` (`--config python:matchmaker.cli.gunicorn_hooks`)."""
from __future__ import annotations

import os

from matchmaker.logs import log_format, logging_config

# gunicorn's own lines (start, workers booted or killed) in the app's format: JSON lines on
# stderr by default (LOG_FORMAT=text for a terminal). The access line is the app's
# (matchmaker.logs), which knows the request id, so gunicorn writes none.
logconfig_dict = logging_config(log_format(default="json"))


def post_worker_init(worker) -> None:
    """A booted worker opens its list and match indexes (and their builder threads) before its first request."""
    from matchmaker import warmup

    warmup.start(worker.wsgi)


def _hide_server_software() -> None:
    """Responses say `Server: matchmaker`, not gunicorn and its version. gunicorn reads the module
    global gunicorn.http.wsgi.SERVER for every response; this module loads before any worker serves."""
    import gunicorn
    import gunicorn.http.wsgi

    gunicorn.SERVER = gunicorn.http.wsgi.SERVER = "matchmaker"


_hide_server_software()


def _threads() -> int:
    raw = os.environ.get("WEB_THREADS", "").strip() or "4"
    if not raw.isdigit() or not 1 <= int(raw) <= 64:
        raise ValueError(f"WEB_THREADS={raw!r} must be a whole number from 1 to 64")
    return int(raw)


# Threads per worker (gunicorn's gthread worker when more than one): a slow request (a large import,
# a chain's gap map) holds one thread, not the whole worker, so the health check and quick pages
# keep answering beside it. WEB_THREADS=1 gives the plain sync worker.
threads = _threads()
