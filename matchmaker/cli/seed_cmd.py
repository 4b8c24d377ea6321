"""`seed demo` and `seed generate`."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from tqdm import tqdm

from ..services.generator import Plan
from ..services.seeding import seed_demo, seed_generate
from .context import command_graph


@click.group("seed", help="Load demo or synthetic data.")
def seed_group() -> None:
    pass


@seed_group.command("demo")
@with_appcontext
def demo() -> None:
    """Load the demo enterprises, supply and demand lists (run init-db first)."""
    with command_graph() as db:
        reports = seed_demo(db, current_app.config["HOME_REGION"], current_app.extensions["matching"].vectors)
    for report in reports:
        click.echo(f"{report.filename}: {report.written} of {report.rows} rows written, "
                   f"{report.rejected_rows} rejected, {len(report.warnings)} warnings")
        for error in report.errors[:20]:
            click.echo(f"  {error}", err=True)
    if any(r.errors for r in reports):
        raise click.ClickException("the demo data has rejected rows (see above)")


@seed_group.command("generate")
@click.option("--enterprises", type=click.IntRange(1, 100_000), default=1000, show_default=True)
@click.option("--items", type=click.IntRange(0, 1_000_000), default=10_000, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True, help="same seed, same data")
@click.option("--batch", type=click.IntRange(100, 50_000), default=5000, show_default=True)
@click.option("--vectors/--no-vectors", default=True, show_default=True,
              help="encode the items' texts now (MATCH_ENCODER=none never does); else the index build does")
@with_appcontext
def generate(enterprises: int, items: int, seed: int, batch: int, vectors: bool) -> None:
    """Generate synthetic enterprises and supply/demand items (deterministic)."""
    plan = Plan(enterprises, items, seed)
    store = current_app.extensions["matching"].vectors if vectors else None
    bars = {"enterprises": tqdm(total=enterprises, desc="enterprises", unit="row"),
            "items": tqdm(total=items, desc="items", unit="row"),
            "vectors": tqdm(desc="vectors", unit="text", disable=store is None)}
    with command_graph() as db:
        written = seed_generate(db, plan, current_app.config["HOME_REGION"], batch,
                                progress=lambda what, n: bars[what].update(n), vectors=store)
    for bar in bars.values():
        bar.close()
    click.echo(", ".join(f"{k}: {v}" for k, v in written.items()))
