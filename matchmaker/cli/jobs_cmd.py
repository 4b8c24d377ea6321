"""`jobs`: a host's background work in a process of its own, beside the web workers.

The index builders (lists and matching, both kinds) and the potential keeper are CPU-heavy for
minutes at a time: a full build, a keeper pass over a million items. In a web worker that work
holds the interpreter lock against the worker's requests (at 1M items the API answered in 2.3
times the in-process time while the keeper ran in one of the workers: docs/BENCHMARKS.md). Here
it runs at a lower CPU priority, so the workers' requests get the cores first.

`serve` starts this process before gunicorn, starts the workers with their builder threads off,
and starts it again if it stops. Without it nothing builds, but nothing is lost: every worker's
readers follow the change feed, so a write is still matched and listed everywhere.
"""
from __future__ import annotations

import os
import signal
import threading

import click
from flask import current_app
from flask.cli import with_appcontext

from .. import warmup

JOBS_NICE = 10  # added to this process's nice value: background work yields the CPU to requests


@click.command("jobs")
@click.option("--nice", "niceness", type=click.IntRange(0, 19), default=JOBS_NICE, show_default=True,
              help="how much lower this process's CPU priority is than the web workers'")
@with_appcontext
def jobs_command(niceness: int) -> None:
    """Run the host's index builders and potential keeper until stopped (`serve` starts it)."""
    app = current_app._get_current_object()
    if not (app.config["MATCH_BUILDER_THREAD"] and app.config["LIST_BUILDER_THREAD"]):
        raise click.ClickException("jobs runs the builders: unset MATCH_BUILDER_THREAD and LIST_BUILDER_THREAD "
                                   "(or set them to 1) for this process")
    os.nice(niceness)
    stopped = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopped.set())
    warmup.start(app)
    click.echo(f"background jobs running (pid {os.getpid()}, nice +{niceness})")
    while not stopped.wait(1.0):
        pass
    app.extensions["lists"].close()
    app.extensions["matching"].close()
    click.echo("background jobs stopped")
