"""init-db: schema migrations plus the reference data (taxonomy, regions), and the `local`
flags re-derived when HOME_REGION differs from the one recorded at the last run."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from graph import chains as chain_repo
from graph import regions as region_repo
from graph import schema
from graph.db import GraphDB

from ..regions import RegionTable
from .localities import LocalityReport, home_region_changed, recompute_local, rows_to_visit
from .taxonomy import read_taxonomy


@dataclass
class InitReport:
    migrations_applied: list[int]
    schema_version: int
    chains: int
    categories: int
    regions: int
    localities: LocalityReport | None = None   # set when the local flags were re-derived now


def init_db(db: GraphDB, home_region: str | None = None,
            progress: Callable[[int, int], None] | None = None) -> InitReport:
    """Bring the schema up to date and upsert the reference data (idempotent).

    With a home region that is not the one recorded in the graph, every `local` flag is
    re-derived (recompute-local); `progress(done, total)` follows that step.
    """
    applied = schema.migrate(db)
    taxonomy = read_taxonomy()
    chain_repo.load_taxonomy(db, taxonomy.chains, taxonomy.segments,
                             taxonomy.categories, taxonomy.feeds)
    regions = [{"code": r.code, "name": r.name, "name_en": r.name_en, "level": r.level,
                "parent": r.parent} for r in RegionTable.load().rows()]
    region_repo.load_regions(db, regions)
    report = InitReport(applied, schema.current_version(db), len(taxonomy.chains),
                        len(taxonomy.categories), len(regions))
    if home_region and home_region_changed(db, home_region):
        total = rows_to_visit(db)
        step = (lambda n: progress(n, total)) if progress else None
        report.localities = recompute_local(db, home_region, progress=step)
    return report
