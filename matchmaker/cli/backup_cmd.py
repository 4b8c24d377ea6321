"""`backup FILE` and `restore [--force] FILE` (docs/OPERATIONS.md)."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from tqdm import tqdm

from ..backup.backup import backup
from ..backup.restore import restore
from ..errors import DomainError
from .context import command_graph


def _index_dir() -> Path:
    return Path(current_app.config["VAR_DIR"]) / "index"


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def backup_command(file: Path) -> None:
    """Write the whole graph and the text vectors into FILE (a .tar.gz with checksums)."""
    with command_graph() as db, tqdm(desc="backing up", unit="record", disable=None) as bar:
        report = backup(db, file, _index_dir(), progress=bar.update)
    click.echo(f"{report.path}: schema v{report.schema_version}, {report.nodes} nodes, "
               f"{report.relationships} relationships, vectors: {', '.join(report.vector_files) or 'none'}")


@click.command("restore")
@click.option("--force", is_flag=True, help="delete everything in a database that is not empty first")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def restore_command(force: bool, file: Path) -> None:
    """Check FILE's checksums, then rebuild the graph and the text vectors from it.

    Stop the web app first (`serve`): its workers hold the old graph's catalogs and vectors."""
    with command_graph() as db, tqdm(desc="restoring", unit="record", disable=None) as bar:
        try:
            report = restore(db, file, _index_dir(), force=force, progress=bar.update,
                             on_total=lambda total: setattr(bar, "total", total))
        except DomainError as exc:
            raise click.ClickException(exc.message) from None
    click.echo(f"restored schema v{report.schema_version} (migrated now: {report.migrations_applied or 'none'}): "
               f"{report.nodes} nodes, {report.relationships} relationships, "
               f"vectors: {', '.join(report.vector_files) or 'none'}")
