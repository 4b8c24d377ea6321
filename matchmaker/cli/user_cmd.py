"""`create-user`."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..errors import DomainError
from ..services.accounts import ROLES, create_user
from .context import command_graph


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--password", required=True, help="at least 10 characters")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--enterprise", "enterprise_id", default=None, help="enterprise id (leader and sme roles)")
@with_appcontext
def create_user_command(email: str, password: str, role: str, enterprise_id: str | None) -> None:
    """Create an active user account."""
    with command_graph() as db:
        try:
            user = create_user(db, email=email, password=password, role=role,
                               enterprise_id=enterprise_id, active=True)
        except DomainError as exc:
            details = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.fields.items())
            raise click.ClickException(f"{exc.message}{' (' + details + ')' if details else ''}") from None
    click.echo(f"created {user['role']} {user['email']} (id {user['id']})")
