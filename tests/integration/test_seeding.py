"""Demo data and synthetic data load through the graph layer."""
from __future__ import annotations

from graph import enterprises as enterprise_repo
from graph import items as item_repo
from matchmaker.lists import ListIndexes
from matchmaker.services.chains import list_chains
from matchmaker.services.generator import Plan
from matchmaker.services.seeding import seed_demo, seed_generate


def test_demo_data_loads_without_rejections_and_fills_every_chain(db, tmp_path):
    reports = seed_demo(db, "510100")
    assert all(r.errors == [] and r.applied for r in reports), [r.errors[:3] for r in reports]
    assert enterprise_repo.count(db) == reports[0].rows
    lists = ListIndexes(db, tmp_path, builder_thread=False)
    lists.build("supply")  # supply counts from the index, demand counts from the graph (not built)
    chains = list_chains(db, lists)
    assert all(c["supply_items"] > 0 and c["demand_items"] > 0 and c["leaders"] >= 1 for c in chains)
    xgimi = [e for e in enterprise_repo.all_enterprises(db) if "极米" in e["name"]]
    assert xgimi and xgimi[0]["local"] is True
    again = seed_demo(db, "510100")  # idempotent: upserts by id
    assert enterprise_repo.count(db) == reports[0].rows and again[1].written == reports[1].written


def test_generate_writes_the_planned_rows_with_progress(db):
    seen = {"enterprises": 0, "items": 0}
    written = seed_generate(db, Plan(120, 900, 5), "510100", batch=250,
                            progress=lambda what, n: seen.__setitem__(what, seen[what] + n))
    assert written["enterprises"] == 120 and written["supply"] + written["demand"] == 900
    assert seen == {"enterprises": 120, "items": 900}
    assert item_repo.count(db, "supply") == written["supply"]
    seed_generate(db, Plan(120, 900, 5), "510100", batch=250)  # same seed: same ids, no duplicates
    assert enterprise_repo.count(db) == 120 and item_repo.count(db, "demand") == written["demand"]
