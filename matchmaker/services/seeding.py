"""`seed demo` and `seed generate`: demo files through the importer, synthetic rows in bulk."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from itertools import chain
from typing import Callable

from graph import enterprises as enterprise_repo
from graph import items as item_repo
from graph.db import GraphDB

from ..config import PROJECT_DIR
from ..matching import warm
from ..regions import RegionTable
from .generator import Generator, Plan
from .imports import ImportReport, import_file
from .taxonomy import read_taxonomy

DEMO_DIR = PROJECT_DIR / "seeds" / "demo"
DEMO_FILES = (("enterprises", "enterprises.csv"), ("supply", "supply.csv"), ("demand", "demand.csv"))


def seed_demo(db: GraphDB, home_region: str, vectors: warm.TextVectors | None = None) -> list[ImportReport]:
    """Import the demo enterprises, supply and demand lists (all or nothing per file)."""
    reports = []
    for kind, name in DEMO_FILES:
        data = (DEMO_DIR / name).read_bytes()
        reports.append(import_file(db, kind, data, name, home_region=home_region, vectors=vectors))
    return reports


def seed_generate(db: GraphDB, plan: Plan, home_region: str, batch: int = 5000,
                  progress: Callable[[str, int], None] | None = None,
                  vectors: warm.TextVectors | None = None) -> dict:
    """Write plan.enterprises firms and plan.items items; returns the counts written.

    With a vector store, each item batch's texts are encoded while the server stores the
    batch (progress "vectors", in texts), so the index never encodes them later."""
    generator = Generator(plan, read_taxonomy(), RegionTable.load(), home_region)
    written = {"enterprises": 0, "supply": 0, "demand": 0}
    batches = chain(((("enterprises", r)) for r in generator.enterprise_batches(batch)),
                    generator.item_batches(batch))
    # One writer thread: the next batch is generated while the server stores this one.
    with ThreadPoolExecutor(max_workers=1) as writer:
        pending = None
        for kind, records in batches:
            if pending:
                _finish(pending, written, progress)
            pending = (kind, len(records), writer.submit(_write, db, kind, records))
            if kind != "enterprises":
                warm.warm_rows(vectors, records, progress and (lambda n: progress("vectors", n)))
        if pending:
            _finish(pending, written, progress)
    return written


def _write(db: GraphDB, kind: str, records: list[dict]) -> int:
    # Stamped per batch: the item catalog follows changes by updated_at.
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    if kind == "enterprises":
        return enterprise_repo.upsert_many(db, records, now)
    return item_repo.upsert_many(db, kind, records, now)


def _finish(pending, written: dict, progress) -> None:
    kind, count, future = pending
    written[kind] += future.result()
    if progress:
        progress("enterprises" if kind == "enterprises" else "items", count)
