"""gunicorn settings module of `serve` (`--config python:matchmaker.cli.gunicorn_hooks`)."""
from __future__ import annotations

from matchmaker.logs import log_format, logging_config

# gunicorn's own lines (start, workers booted or killed) in the app's format: JSON lines on
# stderr by default (LOG_FORMAT=text for a terminal). The access line is the app's
# (matchmaker.logs), which knows the request id, so gunicorn writes none.
logconfig_dict = logging_config(log_format(default="json"))


def post_worker_init(worker) -> None:
    """A booted worker starts building its item catalogs before its first request."""
    from matchmaker import warmup

    warmup.start(worker.wsgi)
