"""The chain page as the officials' working page, and a category page, in a real browser: an official
sees the gap map on top, the category table with its links, counts, rate and state, and the resilience
section; the feeds list folds away. Chinese and English, 1366 and 390 px wide. Screenshots go to
/tmp/e2e-chain-*.png and /tmp/e2e-category-*.png."""
from __future__ import annotations

import pytest

from tests.e2e.pages import firm_user, gen_item, no_horizontal_overflow, sign_in
from tests.e2e.test_match_flow import WIDTHS
from tests.engagement_helpers import write_engagement
from tests.helpers import gen_user

pytestmark = pytest.mark.e2e
CATEGORY = "nev.electrical-parts"
TEXT = {"zh": {"resilience": "韧性", "single": "单一来源品类", "rate": "本地配套率", "complete": "产业链完整度",
               "feeds": "上下游关系"},
        "en": {"resilience": "Resilience", "single": "Single sources", "rate": "Localization rate",
               "complete": "Completeness index", "feeds": "What feeds what"}}


def _scene(db):
    leader, _ = firm_user(db, role="leader", chains=["nev"], name="成都整车制造有限公司")
    local, _ = firm_user(db, region="510116", name="成都双流电气有限公司", tier="srsn")
    far, _ = firm_user(db, region="310115", name="上海浦东电池材料有限公司")
    gen_item(db, "supply", local["id"], name="车身控制线束", category=CATEGORY, unit="pcs")
    gen_item(db, "supply", far["id"], name="车规级MCU芯片", category="nev.auto-chips", unit="pcs")
    demand = gen_item(db, "demand", leader["id"], name="车身控制线束 A 型", quantity=1000, unit="pcs",
                      unit_price=400, category=CATEGORY, current_supplier_region="310115")
    gen_item(db, "demand", leader["id"], name="车规级MCU", quantity=10000, unit="pcs", unit_price=100,
             category="nev.auto-chips", current_supplier_region="310115")
    write_engagement(db, demand["id"], local["id"], value=100_000, quantity=250)
    return leader, local, far


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", list(WIDTHS))
def test_an_official_works_from_the_chain_page(new_page, live_server, db, lang, width):
    leader, local, far = _scene(db)
    official = gen_user(db, "official")
    page = new_page(WIDTHS[width], locale="zh-CN" if lang == "zh" else "en-US")
    page.set_default_navigation_timeout(30_000)
    sign_in(page, official["email"], official["password"], lang)
    page.goto(f"/chains/nev?lang={lang}")
    t = TEXT[lang]
    # The map comes first, then the categories, then resilience.
    order = page.evaluate("['gap-map', 'categories', 'resilience'].map(id => document.getElementById(id)"
                          ".getBoundingClientRect().top + scrollY)")
    assert order == sorted(order)
    assert page.locator("#gap-map svg.gap-map").is_visible()
    assert not page.locator("details.feeds-list ul.feeds").is_visible()  # folded; open for screen readers
    assert t["feeds"] in page.locator("details.feeds-list summary").inner_text()
    row = page.locator(f"tr[id='category-{CATEGORY}']")
    assert row.locator(f"a[href='/categories/{CATEGORY}']").count() == 1
    assert row.locator(f"a[href*='/demand?chain=nev&category={CATEGORY}']").inner_text() == "1"
    assert row.locator(f"a[href*='/supply?chain=nev&category={CATEGORY}&local=true']").inner_text() == "1"
    assert "25.0%" in row.inner_text()           # contracted 100,000 of 400,000
    assert t["rate"] in page.locator("#categories thead").inner_text()
    resilience = page.locator("#resilience")
    assert t["resilience"] in resilience.locator("h2").inner_text() and t["complete"] in resilience.inner_text()
    assert t["single"] in resilience.inner_text() and far["name"] in resilience.inner_text()
    assert leader["name"] in resilience.inner_text()  # exposed through the Shanghai single source
    assert page.locator("a[href='/chains/nev/rates']").count() == 1
    ok, sizes = no_horizontal_overflow(page)
    page.screenshot(path=f"/tmp/e2e-chain-{lang}-{width}.png", full_page=True)
    assert ok, f"/chains/nev ({lang}) is {sizes[0]}px wide in a {sizes[1]}px viewport"
    with page.expect_navigation():
        row.locator(f"a[href='/categories/{CATEGORY}']").click()
    assert t["rate"] in page.locator("#category-rate").inner_text() and "25.0%" in page.locator("#category-rate").inner_text()
    suppliers = page.locator("#local-suppliers").inner_text()
    assert local["name"] in suppliers and "built-in method" not in suppliers
    ok, sizes = no_horizontal_overflow(page)
    page.screenshot(path=f"/tmp/e2e-category-{lang}-{width}.png", full_page=True)
    assert ok, f"the category page ({lang}) is {sizes[0]}px wide in a {sizes[1]}px viewport"
