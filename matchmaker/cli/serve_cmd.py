"""`serve`: graph server, schema, demo data on an empty database, then the background jobs
process (`jobs`: index builders, potential keeper) and gunicorn, whose workers only serve.

Ctrl-C or SIGTERM stops gunicorn and the jobs process, then the graph server this command started.
A jobs process that stops on its own is started again.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from graph import enterprises as enterprise_repo

from ..config import PROJECT_DIR
from ..services import rate_snapshots
from ..services.reference import init_db
from ..services.seeding import seed_demo
from .context import command_graph
from .locality_cmd import describe


@click.command("serve")
@click.option("--host", default=lambda: os.environ.get("HOST", "127.0.0.1"), show_default="HOST or 127.0.0.1")
@click.option("--port", type=click.IntRange(1, 65535), default=lambda: int(os.environ.get("PORT", "8000")),
              show_default="PORT or 8000")
@click.option("--workers", type=click.IntRange(1, 64), default=lambda: int(os.environ.get("WEB_WORKERS", "3")),
              show_default="WEB_WORKERS or 3")
@click.option("--demo/--no-demo", default=True, help="load the demo data into an empty database")
@with_appcontext
def serve_command(host: str, port: int, workers: int, demo: bool) -> None:
    """Run the platform: graph server, schema, demo data, web app."""
    with command_graph() as db:
        report = init_db(db, current_app.config["HOME_REGION"])
        click.echo(f"graph ready: schema v{report.schema_version}, {report.chains} chains")
        if report.localities:
            click.echo(describe(report.localities))
        if demo and enterprise_repo.count(db) == 0:
            for r in seed_demo(db, current_app.config["HOME_REGION"]):
                click.echo(f"demo {r.filename}: {r.written} rows")
        _monthly_snapshot(db)
        _compile_kernels()
        click.echo(f"serving http://{host}:{port}  (Ctrl-C to stop)")
        _run_gunicorn(host, port, workers)


def _compile_kernels() -> None:
    """The BM25 kernels compiled into numba's cache before the workers start, so that none compiles
    them during a request (about 17 s once per machine, then about a second); in a child process,
    so this one does not hold the compiler's memory."""
    done = subprocess.run([sys.executable, "-c", "from matchmaker.matching.lexical import warm_kernels; warm_kernels()"],
                          cwd=PROJECT_DIR, capture_output=True, text=True)
    if done.returncode != 0:  # the workers compile them on first use instead
        click.echo(f"warning: the BM25 kernels could not be compiled ahead: {done.stderr.strip()[-500:]}", err=True)


def _monthly_snapshot(db) -> None:
    """The last ended month's rate snapshot when none is kept (docs/LOCALIZATION.md, "Rates over time"):
    at start only; a server running across a month's end gets it at its next start, from
    `snapshot-rates` (e.g. a cron job on the 1st) or from an official on the dashboard."""
    taken = rate_snapshots.take_if_due(db)
    if taken:
        click.echo(f"rate snapshot of {taken['month']}: {taken['written']} rates kept")


# post_worker_init starts each worker's index warm-up (matchmaker/warmup.py). No control
# socket: `serve` stops gunicorn by signal, and the default socket would sit in the home directory.
# No gunicorn access log: the app writes the access line, with the request id (matchmaker/logs.py).
# Seconds an idle keep-alive connection stays open. Clients reuse one for a while (the load test's
# users wait 0.5 to 2 s between requests); at gunicorn's default of 2 s the server may close it just
# as a request is sent on it, which a client that does not retry sees as a dropped connection (a
# load-test run reported one). A browser retries such a request; a script may not.
KEEP_ALIVE_SECONDS = 5
GUNICORN_OPTIONS = ["--graceful-timeout", "10", "--timeout", "180", "--keep-alive", str(KEEP_ALIVE_SECONDS),
                    "--no-control-socket", "--config", "python:matchmaker.cli.gunicorn_hooks"]


# The workers only serve: the builders and the keeper run in the jobs process (jobs_cmd.py).
SERVING_ONLY = {"MATCH_BUILDER_THREAD": "0", "LIST_BUILDER_THREAD": "0"}
JOBS_RESTART_SECONDS = 5.0


def _run_gunicorn(host: str, port: int, workers: int) -> None:
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"{host}:{port}",
               *GUNICORN_OPTIONS, "wsgi:app"]
    jobs = _start_jobs()
    proc = subprocess.Popen(command, cwd=PROJECT_DIR, env={**os.environ, **SERVING_ONLY})
    stopping = []

    def forward(signum, _frame):
        stopping.append(signum)
        proc.send_signal(signal.SIGTERM)

    previous = {s: signal.signal(s, forward) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        code = _supervise(proc, jobs, stopping)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    if code not in (0, -signal.SIGTERM):
        raise click.ClickException(f"gunicorn exited with code {code} (is port {port} free?)")


def _start_jobs() -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in SERVING_ONLY}
    return subprocess.Popen([sys.executable, "-m", "matchmaker", "jobs"], cwd=PROJECT_DIR, env=env)


def _supervise(gunicorn: subprocess.Popen, jobs: subprocess.Popen, stopping: list) -> int:
    """Wait for gunicorn; meanwhile start the jobs process again whenever it stops. Then stop it."""
    try:
        while True:
            try:
                return gunicorn.wait(timeout=1.0)
            except subprocess.TimeoutExpired:
                pass
            if jobs.poll() is not None and not stopping:
                click.echo(f"background jobs exited with code {jobs.returncode}; starting them again", err=True)
                time.sleep(JOBS_RESTART_SECONDS)
                jobs = _start_jobs()
    finally:
        _stop(jobs)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
