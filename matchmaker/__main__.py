"""`python -m matchmaker <command>`."""
from __future__ import annotations

import os
import sys

import click
from flask.cli import FlaskGroup

from . import create_app
from .config import ConfigError


# The command line is the local demo's (`make run`): development unless the environment says otherwise.
# A production `serve` sets MATCHMAKER_ENV=production and SECRET_KEY (docs/SECURITY.md); gunicorn's
# workers inherit the setting. `gunicorn wsgi:app` on its own defaults to production.
os.environ.setdefault("MATCHMAKER_ENV", "development")


def _create_app():
    try:
        return create_app()
    except ConfigError as exc:
        click.echo(f"Error: configuration: {exc}", err=True)
        sys.exit(2)


cli = FlaskGroup(create_app=_create_app, add_default_commands=False, add_version_option=False,
                 load_dotenv=False, help="Supply-chain matchmaking platform.")
# Flask's own options (--app, --env-file, --debug) do not apply: the app is this package's, its
# settings come from the environment (README, "Configuration").
cli.params = [p for p in cli.params if p.name not in ("app", "env_file", "debug")]

if __name__ == "__main__":
    cli()
