"""`create-user`."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..docking.officials import check_chains, parse_chains, set_official_chains
from ..errors import DomainError
from ..services.accounts import ROLES, create_user
from .context import command_graph


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--password", required=True, help="at least 10 characters")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--enterprise", "enterprise_id", default=None, help="enterprise id (leader and sme roles)")
@click.option("--chains", default=None, help="officials: chain ids it is in charge of, comma-separated (default all)")
@with_appcontext
def create_user_command(email: str, password: str, role: str, enterprise_id: str | None, chains: str | None) -> None:
    """Create an active user account."""
    with command_graph() as db:
        try:
            if chains and role != "official":
                raise click.ClickException("--chains is for official accounts")
            if chains:
                check_chains(db, parse_chains(chains))  # before the account exists: nothing half written
            user = create_user(db, email=email, password=password, role=role,
                               enterprise_id=enterprise_id, active=True)
            if chains:
                set_official_chains(db, user["email"], parse_chains(chains))
        except DomainError as exc:
            details = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.fields.items())
            raise click.ClickException(f"{exc.message}{' (' + details + ')' if details else ''}") from None
    click.echo(f"created {user['role']} {user['email']} (id {user['id']})")
