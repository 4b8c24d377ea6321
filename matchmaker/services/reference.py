"""init-db: schema migrations plus the reference data (taxonomy, regions)."""
from __future__ import annotations

from dataclasses import dataclass

from graph import chains as chain_repo
from graph import regions as region_repo
from graph import schema
from graph.db import GraphDB

from ..regions import RegionTable
from .taxonomy import read_taxonomy


@dataclass
class InitReport:
    migrations_applied: list[int]
    schema_version: int
    chains: int
    categories: int
    regions: int


def init_db(db: GraphDB) -> InitReport:
    """Bring the schema up to date and upsert the reference data (idempotent)."""
    applied = schema.migrate(db)
    taxonomy = read_taxonomy()
    chain_repo.load_taxonomy(db, taxonomy.chains, taxonomy.segments,
                             taxonomy.categories, taxonomy.feeds)
    regions = [{"code": r.code, "name": r.name, "name_en": r.name_en, "level": r.level,
                "parent": r.parent} for r in RegionTable.load().rows()]
    region_repo.load_regions(db, regions)
    return InitReport(applied, schema.current_version(db), len(taxonomy.chains),
                      len(taxonomy.categories), len(regions))
