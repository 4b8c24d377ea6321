"""gunicorn settings module of `serve` (`--config python:matchmaker.cli.gunicorn_hooks`)."""
from __future__ import annotations


def post_worker_init(worker) -> None:
    """A booted worker starts building its item catalogs before its first request."""
    from matchmaker import warmup

    warmup.start(worker.wsgi)
