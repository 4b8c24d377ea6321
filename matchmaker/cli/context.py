"""The graph a command works on: NEO4J_URI's, or the embedded one (started if needed)."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import click
from flask import current_app

from graph.db import GraphDB
from graph.errors import GraphError
from graph.settings import external_settings

from ..config import ConfigError
from ..extensions import embedded_server


@contextmanager
def command_graph(keep_running: bool = False) -> Iterator[GraphDB]:
    """Yield a GraphDB; an embedded server started here is stopped afterwards."""
    started = False
    server = embedded_server(current_app)
    try:
        settings = external_settings()
        if settings is None:
            settings, started = server.start()
            if started:
                click.echo(f"started the embedded graph server on {settings.uri}", err=True)
        db = GraphDB(settings)
        db.server_agent()  # fail early, with the cause, when it cannot be used
        yield db
        db.close()
    except (GraphError, ConfigError) as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        if started and not keep_running:
            server.stop()
            click.echo("stopped the embedded graph server", err=True)
