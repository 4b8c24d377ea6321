"""`index build` and `index status`: the shared match index of this host."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from tqdm import tqdm

from ..matching.encoder_choice import encoder_from_config
from ..matching.runtime import KINDS, MatchRuntime
from .context import command_graph


@click.group("index", help="The match index shared by the web workers of this host.")
def index_group() -> None:
    pass


def _runtime(db) -> MatchRuntime:
    config = current_app.config
    return MatchRuntime(db, Path(config["VAR_DIR"]), encoder_from_config(config["MATCH_ENCODER"]),
                        builder_thread=False)


@index_group.command("build")
@click.option("--kind", type=click.Choice([*KINDS, "all"]), default="all", show_default=True)
@with_appcontext
def build(kind: str) -> None:
    """Rebuild the index from the graph (text vectors are encoded only for texts never seen)."""
    with command_graph() as db:
        runtime = _runtime(db)
        for one in KINDS if kind == "all" else (kind,):
            with tqdm(desc=f"{one} items", unit="row") as bar:
                try:
                    runtime.build(one, progress=bar.update)
                except RuntimeError as exc:
                    raise click.ClickException(str(exc)) from None
        click.echo(", ".join(f"{k}: {n} rows" for k, n in runtime.status().items()))


@index_group.command("status")
@with_appcontext
def status() -> None:
    """Rows indexed per kind and the newest change the index reflects."""
    with command_graph() as db:
        for kind, line in _runtime(db).describe().items():
            click.echo(f"{kind}: {line}")
