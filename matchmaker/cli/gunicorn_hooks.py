"""gunicorn settings module of `serve` (`--config python:matchmaker.cli.gunicorn_hooks`)."""
from __future__ import annotations


def post_worker_init(worker) -> None:
    """A booted worker starts building its item catalogs before its first request."""
    from matchmaker import warmup

    warmup.start(worker.wsgi)


def _hide_server_software() -> None:
    """Responses say `Server: matchmaker`, not gunicorn and its version. gunicorn reads the module
    global gunicorn.http.wsgi.SERVER for every response; this module loads before any worker serves."""
    import gunicorn
    import gunicorn.http.wsgi

    gunicorn.SERVER = gunicorn.http.wsgi.SERVER = "matchmaker"


_hide_server_software()
