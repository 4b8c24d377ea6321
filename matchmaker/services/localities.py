"""recompute-local: every stored `local` flag re-derived from the region tree and HOME_REGION.

Enterprises, the copies on their items (graph.derived) and demand items'
`current_supplier_local`, in batches; then the graph records the home region the
flags now reflect, so `init-db` runs this again only when HOME_REGION changes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from graph import enterprises as enterprise_repo
from graph import items as item_repo
from graph import localities, meta
from graph.db import GraphDB

from ..errors import Invalid
from ..regions import RegionTable

Progress = Callable[[int], None]


@dataclass
class LocalityReport:
    home_region: str
    enterprises: int = 0      # flags changed
    items: int = 0            # items whose copies changed
    demand_items: int = 0     # current_supplier_local flags changed


def local_codes(home_region: str, regions: RegionTable | None = None) -> list[str]:
    """The codes of the home region and every region within it."""
    table = regions or RegionTable.load()
    if home_region not in table:
        raise Invalid(f"HOME_REGION {home_region!r} is not a GB/T 2260 code of seeds/regions/regions.csv",
                      {"HOME_REGION": ["use a code such as 510100 (Chengdu)"]})
    return sorted(r.code for r in table if table.is_within(r.code, home_region))


def rows_to_visit(db: GraphDB) -> int:
    """How many rows a recompute looks at (for a progress bar)."""
    return enterprise_repo.count(db) + item_repo.count(db, "demand")


def recompute_local(db: GraphDB, home_region: str, batch: int = 2000,
                    progress: Progress | None = None) -> LocalityReport:
    codes, report = local_codes(home_region), LocalityReport(home_region)
    after = ""
    while True:
        ids, firms, items = localities.enterprises_batch(db, after, batch, codes)
        if not ids:
            break
        report.enterprises, report.items, after = report.enterprises + firms, report.items + items, ids[-1]
        if progress:
            progress(len(ids))
    after = ""
    while True:
        ids, changed = localities.demand_batch(db, after, batch, codes)
        if not ids:
            break
        report.demand_items, after = report.demand_items + changed, ids[-1]
        if progress:
            progress(len(ids))
    meta.record_home_region(db, home_region)
    return report


def home_region_changed(db: GraphDB, home_region: str) -> bool:
    return meta.recorded_home_region(db) != home_region
