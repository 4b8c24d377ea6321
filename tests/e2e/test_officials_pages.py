"""The officials' dashboard and a chain's rates over time in a real browser, in Chinese and English, at
desktop (1366 px) and phone (390 px) width. Screenshots go to the test's tmp_path (run with --basetemp=DIR
to keep them)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from graph import rate_snapshots as snapshot_repo
from matchmaker.analytics.rate_snapshots import last_ended_month, previous_month, snapshot_id
from matchmaker.services import rate_snapshots
from tests.e2e.pages import firm_user, gen_item, header_link, no_horizontal_overflow, sign_in
from tests.e2e.test_match_flow import WIDTHS
from tests.helpers import gen_user

pytestmark = pytest.mark.e2e
HEADING = {"zh": "产业链看板", "en": "Dashboard of the chains"}
RATES = {"zh": "配套率走势", "en": "Rates over time"}


def _history(db, leader_id: str) -> None:
    """Five earlier months of snapshots for nev and the leader, then the last ended month taken for real."""
    month, rows = last_ended_month(datetime.now(timezone.utc)), []
    for n, rate in enumerate((0.38, 0.34, 0.31, 0.27, 0.22)):
        month = previous_month(month)
        for scope, scope_id in (("chain", "nev"), ("leader", leader_id)):
            rows.append({"id": snapshot_id(month, scope, scope_id), "month": month, "scope": scope,
                         "scope_id": scope_id, "rate": rate, "potential": None, "target": 0.4,
                         "local_value": rate * 1000, "contracted_value": 0.0, "total": 1000.0,
                         "taken_at": f"{month}-28T23:00:00+00:00"})
    snapshot_repo.write(db, rows)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", list(WIDTHS))
def test_an_official_reads_the_dashboard_and_a_chains_trend(new_page, db, tmp_path, lang, width):
    leader, _ = firm_user(db, role="leader", chains=["nev"], name="比亚迪成都整车", annual_procurement=100_000_000,
                          local_procurement=20_000_000)
    gen_item(db, "demand", leader["id"], name="车规级IGBT模块", quantity=1000, unit="pcs", unit_price=1200,
             current_supplier_region="310115", category="nev.electrical-parts")
    _history(db, leader["id"])
    rate_snapshots.take(db, None)                     # the last ended month: 20%
    official = gen_user(db, "official")
    page = new_page(WIDTHS[width], locale="zh-CN" if lang == "zh" else "en-US")
    page.set_default_navigation_timeout(30_000)
    sign_in(page, official["email"], official["password"], lang)
    header_link(page, "header nav a[href='/dashboard']").click()
    page.wait_for_url("**/dashboard")
    assert HEADING[lang] in page.locator("h1").inner_text()
    assert page.locator("table.dashboard tbody tr").count() >= 17
    nev_row = page.locator("table.dashboard tbody tr", has=page.locator("a[href='/chains/nev']")).first
    assert "20%" in nev_row.inner_text()
    ok, sizes = no_horizontal_overflow(page)
    page.screenshot(path=str(tmp_path / f"dashboard-{lang}-{width}.png"), full_page=True)
    page.screenshot(path=str(tmp_path / f"dashboard-{lang}-{width}-top.png"))
    assert ok, f"/dashboard ({lang}) is {sizes[0]}px wide in a {sizes[1]}px viewport"

    nev_row.locator("a[href='/chains/nev/rates']").click()
    page.wait_for_url("**/chains/nev/rates")
    assert RATES[lang] in page.locator("h1").inner_text()
    assert page.locator("figure.main-trend svg:visible circle.point").count() == 6
    assert page.locator(".small-trends svg circle.point").count() == 6
    ok, sizes = no_horizontal_overflow(page)
    page.screenshot(path=str(tmp_path / f"rates-{lang}-{width}.png"), full_page=True)
    assert ok, f"/chains/nev/rates ({lang}) is {sizes[0]}px wide in a {sizes[1]}px viewport"

    page.goto("/chains/nev/report")
    page.emulate_media(media="print")
    assert not page.locator("header.top").is_visible()
    page.screenshot(path=str(tmp_path / f"report-{lang}-{width}.png"), full_page=True)
