"""The match index over the real graph: segments from a build, the delta for newer writes, the change feed."""
from __future__ import annotations

import threading
import time

from graph import maintenance
from matchmaker.matching.encoder_choice import encoder_from_config
from matchmaker.matching.engine import Filters
from matchmaker.matching.runtime import MatchRuntime
from matchmaker.matching.source import GraphSource
from matchmaker.services import items as item_service
from matchmaker.services.imports import import_file
from tests.helpers import HOME, SYSTEM, gen_enterprise, uid


def _supply(db, firm, name, description=""):
    return item_service.create_item(db, SYSTEM, "supply", {"enterprise_id": firm["id"], "name": name,
                                                           "description": description}, HOME)


def _runtime(db, tmp_path) -> MatchRuntime:
    return MatchRuntime(db, tmp_path, encoder_from_config("use"), builder_thread=False, refresh_ms=0)


def _supplier_ids(runtime, demand):
    return [s.enterprise_id for s in runtime.engine().suppliers_for(demand, Filters())]


def test_built_segments_then_the_delta_then_an_update_serve_the_same_answers(db, tmp_path):
    leader, pumps, valves = gen_enterprise(db, "leader"), gen_enterprise(db), gen_enterprise(db)
    _supply(db, pumps, "电子水泵 12V 80W", "无刷直流电子水泵，用于电驱与电池冷却回路")
    _supply(db, valves, "电子膨胀阀", "热泵空调用电子膨胀阀")
    demand = item_service.create_item(db, SYSTEM, "demand", {"enterprise_id": leader["id"], "name": "电子水泵",
                                                             "description": "电池冷却回路用12V电子水泵"}, HOME)
    runtime = _runtime(db, tmp_path)
    runtime.build("supply")
    assert runtime.status()["supply"] == 2
    assert _supplier_ids(runtime, demand)[0] == pumps["id"]
    assert runtime.engine().readers["supply"].view().delta == {}  # served from the segments

    newcomer = gen_enterprise(db)
    item = _supply(db, newcomer, "电子水泵 24V", "电池热管理电子水泵，无刷直流")
    assert newcomer["id"] in _supplier_ids(runtime, demand)  # from the delta, before any segment has it

    runtime.builder("supply").update()  # the elected builder publishes a segment for the change
    assert runtime.status()["supply"] == 3
    item_service.end_item(db, SYSTEM, "supply", item["id"], HOME)
    assert newcomer["id"] not in _supplier_ids(runtime, demand)


def test_demands_matched_together_get_what_each_gets_alone(db, tmp_path, monkeypatch):
    """The batch path (rematch, agendas, plans) shares the index's reads but not its answers, and a
    batch larger than engine.BATCH is split."""
    from matchmaker.matching import engine as engine_module
    leader, other_leader = gen_enterprise(db, "leader"), gen_enterprise(db, "leader")
    firms = [gen_enterprise(db) for _ in range(3)]
    _supply(db, firms[0], "电子水泵 12V 80W", "无刷直流电子水泵，用于电驱与电池冷却回路")
    _supply(db, firms[1], "电子膨胀阀", "热泵空调用电子膨胀阀")
    _supply(db, firms[2], "Wire harness for battery packs", "high-voltage harness, orange cable, HVIL")
    runtime = _runtime(db, tmp_path)
    runtime.build("supply")
    _supply(db, firms[1], "电子水泵 24V", "电池热管理电子水泵")  # in the delta only
    demands = [item_service.create_item(db, SYSTEM, "demand", {"enterprise_id": owner["id"], "name": name}, HOME)
               for owner, name in ((leader, "电子水泵"), (other_leader, "高压线束"), (leader, "battery harness"),
                                   (leader, "膨胀阀"))]
    engine = runtime.engine()
    alone = [[(s.enterprise_id, round(s.score, 6)) for s in engine.suppliers_for(d, Filters())] for d in demands]
    monkeypatch.setattr(engine_module, "BATCH", 3)
    together = [[(s.enterprise_id, round(s.score, 6)) for s in ranked]
                for ranked in engine.suppliers_for_many(demands, Filters())]
    assert together == alone
    assert {firms[0]["id"], firms[1]["id"]} <= {firm for firm, _ in alone[0]}  # a segment's and the delta's
    assert alone[2][0][0] == firms[2]["id"]


def test_a_bulk_delete_bumps_the_generation_and_the_engine_starts_afresh(db, tmp_path):
    leader, pumps = gen_enterprise(db, "leader"), gen_enterprise(db)
    item = _supply(db, pumps, "电子水泵 12V 80W", "无刷直流电子水泵")
    demand = item_service.create_item(db, SYSTEM, "demand", {"enterprise_id": leader["id"], "name": "电子水泵"}, HOME)
    runtime = _runtime(db, tmp_path)
    assert _supplier_ids(runtime, demand) == [pumps["id"]]
    maintenance.delete_items(db, "supply", [item["id"]])
    assert _supplier_ids(runtime, demand) == []


def test_kept_fresh_by_threads_the_engine_still_shows_a_write_and_a_bulk_delete_within_seconds(db, tmp_path):
    leader, pumps, valves = gen_enterprise(db, "leader"), gen_enterprise(db), gen_enterprise(db)
    item = _supply(db, pumps, "电子水泵 12V 80W", "无刷直流电子水泵")
    demand = item_service.create_item(db, SYSTEM, "demand", {"enterprise_id": leader["id"], "name": "电子水泵"}, HOME)
    runtime = MatchRuntime(db, tmp_path, encoder_from_config("use"), builder_thread=False, refresh_ms=100)
    try:
        assert _supplier_ids(runtime, demand) == [pumps["id"]]
        refreshed = {t.name for t in threading.enumerate()}
        assert "match-index-refresh" in refreshed
        _supply(db, valves, "电子水泵 24V", "电池热管理电子水泵")
        assert _eventually(lambda: valves["id"] in _supplier_ids(runtime, demand))
        maintenance.delete_items(db, "supply", [item["id"]])
        assert _eventually(lambda: pumps["id"] not in _supplier_ids(runtime, demand))
    finally:
        runtime.close()


def _eventually(check, seconds: float = 3.0) -> bool:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_the_feed_never_splits_one_change_across_pages(db):
    firm = gen_enterprise(db)
    lines = ["id,enterprise_id,name"] + [f"{uid('S')},{firm['id']},零件{i}" for i in range(7)]
    report = import_file(db, "supply", "\n".join(lines).encode(), "parts.csv", home_region=HOME)
    assert report.written == 7  # one batch, one transaction: one change number for all
    source = GraphSource(db, "supply")
    first = source.changes_since(0, 3)
    assert len({r["seq"] for r in first}) == 1 and len(first) == 7
    assert source.changes_since(first[0]["seq"], 3) == []
    count, _digest = source.checksum("supply")
    assert count == 7
