"""`graph start|stop|status` and `init-db`."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from graph.errors import GraphError
from graph.settings import external_settings

from ..errors import DomainError
from ..extensions import embedded_server
from ..services.reference import init_db
from .context import command_graph
from .locality_cmd import InitProgress, describe


@click.group("graph", help="Manage the embedded graph server.")
def graph_group() -> None:
    pass


def _refuse_when_external() -> None:
    settings = external_settings()
    if settings:
        raise click.ClickException(
            f"NEO4J_URI is set ({settings.uri}): that server is managed outside this platform")


@graph_group.command("start")
@with_appcontext
def start() -> None:
    """Start the embedded graph server (no-op when it runs)."""
    _refuse_when_external()
    try:
        settings, started = embedded_server(current_app).start()
    except GraphError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{'started' if started else 'already running'}: {settings.uri}")


@graph_group.command("stop")
@with_appcontext
def stop() -> None:
    """Stop the embedded graph server."""
    _refuse_when_external()
    stopped = embedded_server(current_app).stop()
    click.echo("stopped" if stopped else "not running")


@graph_group.command("status")
@with_appcontext
def status() -> None:
    """Say whether the graph server runs, and where."""
    settings = external_settings()
    if settings:
        click.echo(f"external: {settings.describe()}")
        return
    server = embedded_server(current_app)
    state = server.status()
    if state is None:
        click.echo(f"not running (data in {server.data_dir})")
        raise SystemExit(3)
    click.echo(f"running: pid {state.pid}, {state.uri}, database {state.database!r}, data in {server.data_dir}")


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create the schema and load the reference data (chains' taxonomy, regions); re-derive the
    `local` flags when HOME_REGION differs from the one recorded at the last run."""
    progress = InitProgress()
    with command_graph() as db:
        try:
            report = init_db(db, current_app.config["HOME_REGION"], progress)
        except DomainError as exc:
            raise click.ClickException(exc.message) from None
        finally:
            progress.close()
    click.echo(f"schema version {report.schema_version} (applied now: {report.migrations_applied or 'none'}); "
               f"{report.chains} chains, {report.categories} categories, {report.regions} regions")
    if report.localities:
        click.echo(describe(report.localities))
