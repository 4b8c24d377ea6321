"""Rates over time and the officials' dashboard on the real graph server: a month is snapshotted once and
never rewritten, the series and the dashboard's figures equal hand-computed ones, pages and bad input."""
from __future__ import annotations

import io
import math
from datetime import datetime, timezone

import pytest
from openpyxl import load_workbook

from graph import rate_snapshots as snapshot_repo
from matchmaker.analytics.rate_snapshots import last_ended_month
from matchmaker.matching.service import record_feedback
from matchmaker.services import gap_maps, rate_snapshots
from matchmaker.services import items as item_service
from matchmaker.services.permissions import Principal
from tests.engagement_helpers import write_engagement
from tests.helpers import HOME, SYSTEM, bearer, gen_enterprise, gen_token, gen_user
from tests.matrix_helpers import FAST_PASSWORD, csrf_of, fast_user

SHANGHAI, LOCAL = "310115", "510116"
DECEMBER = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)     # November has ended
JANUARY = datetime(2027, 1, 5, 9, 0, tzinfo=timezone.utc)       # December has ended


def _item(db, kind, firm, category, **extra) -> str:
    made = item_service.create_item(db, SYSTEM, kind, {"enterprise_id": firm, "name": f"{kind} {category}",
                                                       "category": category, "status": "published", **extra}, HOME)
    return made["id"]


@pytest.fixture
def scene(db):
    """Chain nev. Leader A declares 1,000 total with 400 local (40%); leader B declares nothing and asks
    for 300 (served locally) + 700 (served in Shanghai) in category k0 (30%). Chain: 700 / 2,000 = 35%.
    k0 has one local supplier (weak), k1 two (covered), every other nev category none (gap)."""
    chain = gap_maps.chain_service.get_chain(db, "nev")
    cats = [c["id"] for s in chain["segments"] for c in s["categories"]]
    a = gen_enterprise(db, role="leader", chains=["nev"], annual_procurement=1000, local_procurement=400)
    b = gen_enterprise(db, role="leader", chains=["nev"])
    s1, s2 = gen_enterprise(db, role="sme", region=LOCAL), gen_enterprise(db, role="sme", region=LOCAL)
    far = gen_enterprise(db, role="sme", region=SHANGHAI)
    _item(db, "supply", s1["id"], cats[0])
    _item(db, "supply", s1["id"], cats[1])
    _item(db, "supply", s2["id"], cats[1])
    _item(db, "supply", far["id"], cats[0])
    d1 = _item(db, "demand", b["id"], cats[0], quantity=3, unit_price=100, current_supplier_region=LOCAL)
    d2 = _item(db, "demand", b["id"], cats[0], quantity=7, unit_price=100, current_supplier_region=SHANGHAI)
    official = gen_user(db, "official")
    return {"cats": cats, "a": a, "b": b, "s1": s1, "far": far, "d1": d1, "d2": d2, "official": official,
            "token": gen_token(db, official), "leader_b": gen_token(db, gen_user(db, "leader", b["id"]))}


def _series(client, token, chain="nev"):
    response = client.get(f"/api/v1/chains/{chain}/rates", headers=bearer(token))
    assert response.status_code == 200, response.get_json()
    return response.get_json()["data"]


def test_a_month_is_snapshotted_once_with_hand_computed_rates_and_never_rewritten(client, db, scene):
    first = rate_snapshots.take(db, None, None, DECEMBER)
    assert (first["month"], first["taken"]) == ("2026-11", True)
    data = _series(client, scene["token"])
    (nov,) = data["chain"]["snapshots"]
    assert (nov["id"], nov["month"], nov["scope"], nov["target"]) == ("2026-11|chain|nev", "2026-11", "chain", 0.4)
    assert math.isclose(nov["rate"], 700 / 2000) and (nov["total"], nov["local_value"]) == (2000, 700)
    assert nov["potential"] is None and nov["taken_at"].startswith("2026-12-02")
    leaders = {l["id"]: l["snapshots"] for l in data["leaders"]}
    assert leaders[scene["a"]["id"]][0]["rate"] == 0.4 and leaders[scene["b"]["id"]][0]["rate"] == 0.3

    # the leader contracts the Shanghai-served item with a local SME: +700 for B, the chain 1,400 / 2,000
    write_engagement(db, scene["d2"], scene["s1"]["id"], value=700, quantity=7)
    again = rate_snapshots.take(db, None, "2026-11", DECEMBER)
    assert (again["taken"], again["written"]) == (False, 0) and again["kept"] == first["written"]
    assert _series(client, scene["token"])["chain"]["snapshots"] == [nov]          # kept as it was
    assert rate_snapshots.take_if_due(db, DECEMBER) is None

    december = rate_snapshots.take_if_due(db, JANUARY)
    assert december["month"] == "2026-12"
    series = _series(client, scene["token"])["chain"]["snapshots"]
    assert [s["month"] for s in series] == ["2026-11", "2026-12"]                    # oldest first
    assert math.isclose(series[1]["rate"], 1400 / 2000) and series[1]["contracted_value"] == 700
    # a leader's account: its own series only, no chain series
    own = _series(client, scene["leader_b"])
    assert own["chain"] is None and [l["id"] for l in own["leaders"]] == [scene["b"]["id"]]
    assert [s["rate"] for s in own["leaders"][0]["snapshots"]] == [0.3, 1.0]


def test_an_unfinished_or_malformed_month_is_refused_and_nothing_is_written(db, scene):
    for month in ("2026-12", "2026-13", "Nov"):
        with pytest.raises(Exception) as caught:
            rate_snapshots.take(db, None, month, DECEMBER)
        assert list(caught.value.fields) == ["month"]
    assert snapshot_repo.month_counts(db, "2026-12") == {}


def test_unknown_chain_rates_is_404(client, scene):
    response = client.get("/api/v1/chains/nope/rates", headers=bearer(scene["token"]))
    assert response.status_code == 404 and "nope" in response.get_json()["error"]["message"]


def test_dashboard_figures_equal_hand_computed_ones(client, db, scene):
    rate_snapshots.take(db, None, last_ended_month(datetime.now(timezone.utc)))   # the previous snapshot: 35%
    opened = write_engagement(db, scene["d1"], scene["far"]["id"], value=0, quantity=0, status="samples")
    write_engagement(db, scene["d2"], scene["s1"]["id"], value=700, quantity=7)
    for verdict in ("confirm", "confirm", "dismiss"):  # the same pair confirmed twice counts once
        supplier = scene["far"]["id"] if verdict == "dismiss" else scene["s1"]["id"]
        record_feedback(db, Principal(scene["official"]["id"], "official"), scene["d1"], supplier, verdict, None)
    response = client.get("/api/v1/dashboard", headers=bearer(scene["token"]))
    assert response.status_code == 200, response.get_json()
    board = response.get_json()["data"]
    nev = next(c for c in board["chains"] if c["id"] == "nev")
    assert math.isclose(nev["rate"], 1400 / 2000) and nev["target"] == 0.4
    assert nev["trend"] == "up" and math.isclose(nev["last_snapshot"]["rate"], 0.35)
    assert (nev["categories"], nev["gaps"], nev["weak"], nev["covered"]) == \
        (len(scene["cats"]), len(scene["cats"]) - 2, 1, 1)
    assert nev["open_demand_value"] == 1000
    assert (nev["engagements_opened"], nev["contracts_signed"], nev["contracted_value_signed"]) == (2, 1, 700)
    assert nev["matches_confirmed"] == 1 and board["totals"]["matches_confirmed"] == 1
    assert opened
    rail = next(c for c in board["chains"] if c["id"] == "rail")
    assert (rail["rate"], rail["trend"], rail["engagements_opened"], rail["target"]) == (None, None, 0, 0.5)
    assert board["totals"]["contracts_signed"] == 1 and len(board["chains"]) >= 17


def _web(app, db, role):
    user = fast_user(db, role)
    client = app.test_client()
    response = client.post("/login", data={"email": user["email"], "password": user.get("password", FAST_PASSWORD),
                                           "csrf_token": csrf_of(client)})
    assert response.status_code == 302
    return client


@pytest.mark.parametrize("lang, words", [("zh", ("产业链看板", "配套率走势", "断链")),
                                         ("en", ("Dashboard of the chains", "Rates over time", "Gaps"))])
def test_pages_render_in_both_languages(app, db, scene, lang, words):
    rate_snapshots.take(db, None, None, DECEMBER)
    client = _web(app, db, "official")
    page = client.get(f"/dashboard?lang={lang}").get_data(as_text=True)
    assert words[0] in page and words[2] in page and "/chains/nev/rates" in page and "/chains/nev/report" in page
    rates = client.get("/chains/nev/rates").get_data(as_text=True)
    assert words[1] in rates and 'class="point"' in rates and "stroke-dasharray" in rates
    report = client.get("/chains/nev/report")
    assert report.status_code == 200 and "@media print" in report.get_data(as_text=True)
    export = client.get("/dashboard/export.xlsx")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    nev = next(r for r in rows if r[0] == "nev")
    assert nev[2] == 35.0 and nev[3] == 40.0 and nev[6] == len(scene["cats"]) - 2
    own = client.get(f"/enterprises/{scene['b']['id']}/rates")
    assert own.status_code == 200 and 'class="point"' in own.get_data(as_text=True)


def test_leaders_and_smes_do_not_get_the_officials_pages(app, db, scene):
    leader = _web(app, db, "leader")
    assert leader.get("/dashboard").status_code == 403
    assert leader.get("/chains/nev/report").status_code == 403
    assert leader.get("/dashboard/export.xlsx").status_code == 403
    assert app.test_client().get("/dashboard").status_code == 302      # to the sign-in page
    sme = _web(app, db, "sme")
    assert sme.get(f"/enterprises/{scene['b']['id']}/rates").status_code == 403


def test_snapshot_cli_takes_the_month_once_and_refuses_a_bad_month(app, db, scene, graph_server, monkeypatch):
    for name in ("uri", "user", "password", "database"):
        monkeypatch.setenv(f"NEO4J_{name.upper()}", getattr(graph_server, name))
    runner = app.test_cli_runner()
    first = runner.invoke(args=["snapshot-rates", "--month", "2026-10", "--no-potential"])
    assert first.exit_code == 0, first.output
    assert "2026-10:" in first.output and "kept" in first.output
    assert snapshot_repo.month_counts(db, "2026-10")["chain"] >= 17
    second = runner.invoke(args=["snapshot-rates", "--month", "2026-10", "--no-potential"])
    assert second.exit_code == 0 and "already kept" in second.output
    bad = runner.invoke(args=["snapshot-rates", "--month", "2026/10"])
    assert bad.exit_code != 0 and "month" in bad.output
    future = runner.invoke(args=["snapshot-rates", "--month", "2999-01"])
    assert future.exit_code != 0 and "not ended" in future.output
