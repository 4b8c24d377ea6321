"""`official-chains`: the chains an official account is in charge of (docking notifications)."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..docking.officials import parse_chains, set_official_chains
from ..errors import DomainError
from .context import command_graph


@click.command("official-chains")
@click.argument("email")
@click.option("--chains", default="", help="chain ids, comma-separated; empty: in charge of every chain")
@with_appcontext
def official_chains_command(email: str, chains: str) -> None:
    """Set which chains an official is in charge of (told of invitations and contracts there)."""
    with command_graph() as db:
        try:
            saved = set_official_chains(db, email, parse_chains(chains))
        except DomainError as exc:
            raise click.ClickException(exc.message) from None
    click.echo(f"{email}: in charge of {', '.join(saved['chains']) or 'every chain'}")
