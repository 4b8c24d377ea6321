"""`import --kind enterprises|supply|demand [--mode valid_rows] [--dry-run] FILE`."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from tqdm import tqdm

from ..errors import DomainError
from ..services.import_interrupted import ImportInterrupted
from ..services.imports import KINDS, MODES, import_file
from .context import command_graph

MAX_ERRORS_SHOWN = 50


@click.command("import")
@click.option("--kind", type=click.Choice(KINDS), required=True)
@click.option("--mode", type=click.Choice(MODES), default="all_or_nothing", show_default=True,
              help="valid_rows writes the valid rows even when others are rejected")
@click.option("--dry-run", is_flag=True, help="check the file and report, write nothing")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_command(kind: str, mode: str, dry_run: bool, file: Path) -> None:
    """Import a CSV or XLSX file in the interchange format (DATA-FORMAT.md)."""
    vectors = current_app.extensions["matching"].vectors  # None with MATCH_ENCODER=none
    with command_graph() as db, tqdm(desc=f"writing {kind}", unit="row", disable=None) as bar, \
            tqdm(desc="vectors", unit="text", disable=None if vectors is not None else True) as vector_bar:
        try:
            report = import_file(db, kind, file.read_bytes(), file.name, mode=mode, dry_run=dry_run,
                                 home_region=current_app.config["HOME_REGION"], progress=bar.update,
                                 vectors=vectors, vector_progress=vector_bar.update)
        except DomainError as exc:
            raise click.ClickException(exc.message) from None
        except ImportInterrupted as exc:
            raise click.ClickException(exc.advice()) from None
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    for error in report.errors[:MAX_ERRORS_SHOWN]:
        click.echo(f"rejected: {error}", err=True)
    more = report.errors_total - min(len(report.errors), MAX_ERRORS_SHOWN)
    if more:
        click.echo(f"... and {more} more", err=True)
    click.echo(f"{file.name}: {report.rows} rows, {report.accepted} valid, {report.rejected_rows} rejected, "
               f"{report.written} written{' (dry run)' if dry_run else ''}")
    if report.errors_total and not report.applied and not dry_run:
        raise click.ClickException("nothing was imported: fix the rows above, or use --mode valid_rows")
