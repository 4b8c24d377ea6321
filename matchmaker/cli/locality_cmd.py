"""`recompute-local`: re-derive every `local` flag from the region tree and HOME_REGION."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from tqdm import tqdm

from ..errors import DomainError
from ..services.localities import LocalityReport, recompute_local, rows_to_visit
from .context import command_graph


@click.command("recompute-local")
@click.option("--batch", type=click.IntRange(100, 50_000), default=2000, show_default=True,
              help="rows per write transaction")
@with_appcontext
def recompute_local_command(batch: int) -> None:
    """Re-derive the `local` flags of enterprises and items for HOME_REGION (init-db does this
    itself when HOME_REGION changed since its last run)."""
    home = current_app.config["HOME_REGION"]
    with command_graph() as db:
        with tqdm(total=rows_to_visit(db), desc=f"local flags for {home}", unit="row", disable=None) as bar:
            try:
                report = recompute_local(db, home, batch, progress=bar.update)
            except DomainError as exc:
                raise click.ClickException(exc.message) from None
    click.echo(describe(report))


def describe(report: LocalityReport) -> str:
    return (f"local flags now for {report.home_region}: {report.enterprises} enterprises, "
            f"{report.items} items' copies and {report.demand_items} demand items' current supplier changed")


class InitProgress:
    """A tqdm bar for init-db's recompute step, opened on its first report."""

    def __init__(self) -> None:
        self.bar: tqdm | None = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = tqdm(total=total, desc="local flags (HOME_REGION changed)", unit="row", disable=None)
        self.bar.update(done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
