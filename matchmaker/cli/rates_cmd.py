"""`snapshot-rates`: keep every localization rate of a month that has ended (never rewritten)."""
from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from ..errors import DomainError
from ..services import potential as potential_service
from ..services import rate_snapshots
from .context import command_graph


@click.command("snapshot-rates")
@click.option("--month", default=None, metavar="YYYY-MM", help="a month that has ended; default: the last one")
@click.option("--potential/--no-potential", default=True,
              help="also record the potential rate (asks the matching engine once per open item)")
@with_appcontext
def snapshot_rates_command(month: str | None, potential: bool) -> None:
    """Snapshot every rate (all, each chain, each leader) for a month; a month already kept is left alone."""
    with command_graph() as db:
        runtime = current_app.extensions.get("matching") if potential else None
        bar = None
        checking = click.progressbar(length=potential_service.due_count(db) if runtime else 0,
                                     label="checking the potential", file=sys.stderr)

        def opened(total: int) -> None:
            nonlocal bar
            bar = click.progressbar(length=total, label="writing snapshots", file=sys.stderr)
            bar.__enter__()

        try:
            with checking:
                result = rate_snapshots.take(db, runtime, month, progress=lambda n: bar.update(n), on_total=opened,
                                             on_check=checking.update)
        except DomainError as exc:
            fields = "; ".join(f"{k}: {', '.join(v)}" for k, v in (exc.fields or {}).items())
            raise click.ClickException(f"{exc.message}{f' ({fields})' if fields else ''}") from None
        finally:
            if bar is not None:
                bar.__exit__(None, None, None)
    if result["taken"]:
        click.echo(f"{result['month']}: {result['written']} rate snapshots kept")
    else:
        click.echo(f"{result['month']}: already kept ({result['kept']} snapshots); nothing written")
