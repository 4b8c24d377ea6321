"""HOME_REGION changes: `init-db` (when the recorded region differs) and `recompute-local`
re-derive every `local` flag, and the lists' local filter follows."""
from __future__ import annotations

import pytest

from graph import enterprises as enterprise_repo
from graph import items as item_repo
from graph import meta
from matchmaker import create_app
from matchmaker.regions import RegionTable
from matchmaker.services.items import create_item
from tests.helpers import SYSTEM, gen_enterprise

REGIONS = {"chengdu": "510116", "mianyang": "510703", "shanghai": "310114"}


@pytest.fixture
def cli(db, graph_server, monkeypatch, tmp_path):
    """cli(home, *args) runs a command of an app configured with that HOME_REGION; returns (app, result)."""
    for name in ("uri", "user", "password", "database"):
        monkeypatch.setenv(f"NEO4J_{name.upper()}", getattr(graph_server, name))
    monkeypatch.setenv("VAR_DIR", str(tmp_path / "var"))

    def run(home: str, *args: str):
        app = create_app({"TESTING": True, "GRAPH_DB": db, "HOME_REGION": home})
        return app, app.test_cli_runner().invoke(args=list(args))
    yield run
    run("510100", "init-db")   # leave the session's graph recorded for the tests' home region


def _world(db) -> dict[str, dict]:
    """A firm in each region with a supply item, and a leader's demand item served from Mianyang."""
    firms = {}
    for place, region in REGIONS.items():
        firm = gen_enterprise(db, "sme", region=region)
        create_item(db, SYSTEM, "supply", {"enterprise_id": firm["id"], "name": f"{place}齿轮", "id": f"S-{place}"},
                    "510100")
        firms[place] = firm
    leader = gen_enterprise(db, "leader", region="510116")
    create_item(db, SYSTEM, "demand", {"enterprise_id": leader["id"], "name": "减速器", "id": "D-MY",
                                       "current_supplier_region": "绵阳市涪城区"}, "510100")
    return firms


def _local_items(app) -> set[str]:
    body = app.test_client().get("/api/v1/supply-items?local=true&per_page=200").get_json()
    return {i["id"] for i in body["data"]}


def _agrees(db, home: str) -> None:
    table = RegionTable.load()
    for firm in enterprise_repo.all_enterprises(db):
        assert firm["local"] == table.is_within(firm["region_code"], home), firm
    for place in REGIONS:
        item = item_repo.get(db, "supply", f"S-{place}")
        assert item["local"] == table.is_within(REGIONS[place], home)


def test_init_db_re_derives_local_flags_when_home_region_changes(cli, db):
    cli("510100", "init-db")
    _world(db)
    app, _ = cli("510100", "init-db")
    assert _local_items(app) == {"S-chengdu"}

    app, result = cli("510000", "init-db")       # the whole province of Sichuan
    assert result.exit_code == 0, result.output
    assert "for 510000: 1 enterprises, 1 items' copies and 1 demand items'" in result.output  # Mianyang's
    assert meta.recorded_home_region(db) == "510000"
    _agrees(db, "510000")
    assert _local_items(app) == {"S-chengdu", "S-mianyang"}
    assert item_repo.get(db, "demand", "D-MY")["current_supplier_local"] is True

    _, again = cli("510000", "init-db")          # unchanged: nothing to re-derive
    assert again.exit_code == 0 and "local flags" not in again.output


def test_recompute_local_command(cli, db):
    cli("510100", "init-db")
    _world(db)
    app, result = cli("310000", "recompute-local", "--batch", "100")
    assert result.exit_code == 0, result.output
    assert "local flags now for 310000" in result.output
    _agrees(db, "310000")
    assert _local_items(app) == {"S-shanghai"}
    assert item_repo.get(db, "demand", "D-MY")["current_supplier_local"] is False
    assert meta.recorded_home_region(db) == "310000"
    _, bad = cli("999999", "recompute-local")
    assert bad.exit_code == 1 and "HOME_REGION '999999'" in bad.output
