"""The batch plan page in a real browser: an official chooses a chain, sees the plan with the rate it would
reach, unticks nothing and creates the invitation; at desktop and phone width, in Chinese and English.
Screenshots go to the test's tmp_path (run with --basetemp=DIR to keep them)."""
from __future__ import annotations

import pytest

from tests.e2e.pages import firm_user, gen_item, header_link, no_horizontal_overflow, sign_in
from tests.e2e.test_match_flow import WIDTHS, _wait_for
from tests.helpers import gen_token, gen_user

pytestmark = pytest.mark.e2e
CREATED = {"zh": "创建了 1 个邀请", "en": "1 invitations created"}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", list(WIDTHS))
def test_an_official_makes_a_plan_and_invites(new_page, live_server, db, tmp_path, lang, width):
    leader, leader_user = firm_user(db, role="leader", chains=["nev"], annual_procurement=100_000_000,
                                    local_procurement=20_000_000)
    demand = gen_item(db, "demand", leader["id"], name="车规级IGBT模块 750V", quantity=10000, unit="pcs",
                      unit_price=1200, description="主驱逆变器用IGBT功率模块，750V 820A，双面散热",
                      required_certifications=["IATF16949"], current_supplier_region="310115",
                      category="nev.electrical-parts")
    sme, _ = firm_user(db, region="510116", name="成都双流功率半导体有限公司", tier="srsn")
    gen_item(db, "supply", sme["id"], name="IGBT功率模块 750V 820A 车规级", capacity=6000, unit="pcs",
             description="双面散热IGBT模块，用于主驱逆变器", certifications=["IATF16949"])
    _wait_for(live_server, gen_token(db, leader_user), f"/api/v1/demand-items/{demand['id']}/matches",
              lambda m: m["enterprise"]["id"], {sme["id"]})
    official = gen_user(db, "official")
    page = new_page(WIDTHS[width], locale="zh-CN" if lang == "zh" else "en-US")
    page.set_default_navigation_timeout(30_000)
    sign_in(page, official["email"], official["password"], lang)
    header_link(page, "header nav a[href='/plans']").click()
    page.wait_for_url("**/plans")
    page.locator("select[name=chain]").select_option("nev")
    with page.expect_navigation():
        page.locator("#plan-form button").click()
    rows = page.locator("table.plan tbody tr")
    assert rows.count() == 1 and sme["id"] in rows.first.inner_html()
    assert "27.2%" in page.locator("dl.plan-facts").inner_text()     # 20% + 7,200,000 / 100,000,000
    ok, sizes = no_horizontal_overflow(page)
    page.screenshot(path=str(tmp_path / f"plan-{lang}-{width}.png"), full_page=True)
    assert ok, f"/plans ({lang}) is {sizes[0]}px wide in a {sizes[1]}px viewport"
    with page.expect_navigation():
        page.locator("main form[method=post] button").click()
    assert CREATED[lang] in page.locator("main").inner_text()
    page.screenshot(path=str(tmp_path / f"plan-invited-{lang}-{width}.png"), full_page=True)


def test_the_progress_note_shows_while_the_plan_is_worked_out(page, live_server, db):
    official = gen_user(db, "official")
    sign_in(page, official["email"], official["password"], "en")
    page.goto("/plans")
    running = page.locator("#plan-running")
    assert not running.is_visible()
    page.evaluate("document.getElementById('plan-form').addEventListener('submit', e => e.preventDefault())")
    page.locator("#plan-form button").click()
    assert running.is_visible() and page.locator("#plan-form button").is_disabled()
