"""`seed demo` and `seed generate`: demo files through the importer, synthetic rows in bulk."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

from graph import enterprises as enterprise_repo
from graph import items as item_repo
from graph.db import GraphDB

from ..config import PROJECT_DIR
from ..regions import RegionTable
from .generator import Generator, Plan
from .imports import ImportReport, import_file
from .taxonomy import read_taxonomy

DEMO_DIR = PROJECT_DIR / "seeds" / "demo"
DEMO_FILES = (("enterprises", "enterprises.csv"), ("supply", "supply.csv"), ("demand", "demand.csv"))


def seed_demo(db: GraphDB, home_region: str) -> list[ImportReport]:
    """Import the demo enterprises, supply and demand lists (all or nothing per file)."""
    reports = []
    for kind, name in DEMO_FILES:
        data = (DEMO_DIR / name).read_bytes()
        reports.append(import_file(db, kind, data, name, home_region=home_region))
    return reports


def seed_generate(db: GraphDB, plan: Plan, home_region: str, batch: int = 5000,
                  progress: Callable[[str, int], None] | None = None) -> dict:
    """Write plan.enterprises firms and plan.items items; returns the counts written."""
    generator = Generator(plan, read_taxonomy(), RegionTable.load(), home_region)
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    written = {"enterprises": 0, "supply": 0, "demand": 0}
    for records in generator.enterprise_batches(batch):
        written["enterprises"] += enterprise_repo.upsert_many(db, records, now)
        if progress:
            progress("enterprises", len(records))
    for kind, records in generator.item_batches(batch):
        written[kind] += item_repo.upsert_many(db, kind, records, now)
        if progress:
            progress("items", len(records))
    return written
