"""`python -m matchmaker <command>`."""
from __future__ import annotations

import sys

import click
from flask.cli import FlaskGroup

from . import create_app
from .config import ConfigError


def _create_app():
    try:
        return create_app()
    except ConfigError as exc:
        click.echo(f"Error: configuration: {exc}", err=True)
        sys.exit(2)


cli = FlaskGroup(create_app=_create_app, add_default_commands=False,
                 help="Supply-chain matchmaking platform.")

if __name__ == "__main__":
    cli()
