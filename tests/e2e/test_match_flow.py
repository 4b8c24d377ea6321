"""A leader's suggested suppliers in a real browser: the local supplier first, dismissed, then lower down;
at desktop (1366 px) and phone (390 px) width, in Chinese and English. Screenshots go to the test's
tmp_path (run with --basetemp=DIR to keep them in a known place)."""
from __future__ import annotations

import json
import time
import urllib.request

import pytest

from tests.e2e.pages import (firm_user, flashes, gen_item, header_link, no_horizontal_overflow, sign_in,
                             suggested_suppliers)
from tests.helpers import gen_token

pytestmark = pytest.mark.e2e

WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
DISMISSED = {"zh": "已标记为不合适", "en": "Dismissed: this supplier now ranks below the others"}
HEADING = {"zh": "推荐供应商", "en": "Suggested suppliers"}


def _market(db) -> tuple[dict, dict, dict]:
    """(leader account, demand item, {local|far: supplier firm}) for an IGBT module."""
    leader, user = firm_user(db, role="leader")
    demand = gen_item(db, "demand", leader["id"], name="车规级IGBT模块 750V", quantity=10000, unit="pcs",
                      unit_price=1200, description="主驱逆变器用IGBT功率模块，750V 820A，双面散热",
                      required_certifications=["IATF16949"])
    firms = {}
    for key, region, name in [("local", "510116", "成都双流功率半导体有限公司"), ("far", "310115", "上海浦东功率器件有限公司")]:
        firm, _ = firm_user(db, region=region, name=name, tier="srsn")
        gen_item(db, "supply", firm["id"], name="IGBT功率模块 750V 820A 车规级", capacity=5000, unit="pcs",
                 description="双面散热IGBT模块，用于主驱逆变器", certifications=["IATF16949"])
        firms[key] = firm
    return user, demand, firms


def _wait_for(base_url: str, token: str, path: str, key, wanted: set[str], timeout_s: float = 120.0) -> None:
    """Through the API until `wanted` ids are listed: the first call loads the encoder and the index (slow on
    a loaded machine), and new items reach the index within a second or two; the browser then sees a warm
    engine."""
    request = urllib.request.Request(base_url + path, headers={"Authorization": f"Bearer {token}"})
    deadline = time.monotonic() + timeout_s
    while True:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            found = {key(row) for row in json.load(response)["data"]}
        if wanted <= found:
            return
        assert time.monotonic() < deadline, f"{path}: still missing {wanted - found}"
        time.sleep(0.5)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", list(WIDTHS))
def test_leader_sees_the_local_supplier_first_dismisses_it_and_it_moves_down(new_page, live_server, db, tmp_path,
                                                                            lang, width):
    user, demand, firms = _market(db)
    _wait_for(live_server, gen_token(db, user), f"/api/v1/demand-items/{demand['id']}/matches",
              lambda m: m["enterprise"]["id"], {f["id"] for f in firms.values()})
    page = new_page(WIDTHS[width], locale="zh-CN" if lang == "zh" else "en-US")
    page.set_default_navigation_timeout(30_000)  # each demand page ranks its suppliers: the encoder is slow here
    sign_in(page, user["email"], user["password"], lang)
    page.goto(f"/demand/{demand['id']}")
    assert page.locator("#suggestions h2").inner_text() == HEADING[lang]
    order = suggested_suppliers(page, 2)
    assert order == [firms["local"]["id"], firms["far"]["id"]]
    first = page.locator("#suggestions li.match").first
    assert first.locator(".badge.local").is_visible()
    assert first.locator("details.why li").count() >= 3
    ok, sizes = no_horizontal_overflow(page)
    page.screenshot(path=str(tmp_path / f"suggestions-{lang}-{width}-before.png"), full_page=True)
    assert ok, f"the demand page ({lang}) is {sizes[0]}px wide in a {sizes[1]}px viewport"

    first.locator("input[name=reason]").fill("交期太长" if lang == "zh" else "lead time too long")
    with page.expect_navigation():
        first.locator("button[value=dismiss]").click()
    assert any(DISMISSED[lang] in text for text in flashes(page))
    assert suggested_suppliers(page, 2) == [firms["far"]["id"], firms["local"]["id"]]
    page.screenshot(path=str(tmp_path / f"suggestions-{lang}-{width}-after.png"), full_page=True)
    assert no_horizontal_overflow(page)[0]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_sme_sees_its_opportunities_at_phone_width(new_page, live_server, db, tmp_path, lang):
    _, demand, _ = _market(db)
    sme, user = firm_user(db, region="510116")
    gen_item(db, "supply", sme["id"], name="车规IGBT模块 750V", capacity=20000, unit="pcs",
             description="主驱逆变用双面散热IGBT功率模块")
    _wait_for(live_server, gen_token(db, user), f"/api/v1/enterprises/{sme['id']}/opportunities",
              lambda o: o["demand_item"]["id"], {demand["id"]})
    page = new_page(WIDTHS["phone"], locale="zh-CN" if lang == "zh" else "en-US")
    page.set_default_navigation_timeout(30_000)
    sign_in(page, user["email"], user["password"], lang)
    header_link(page, "header nav a[href='/opportunities']").click()
    page.wait_for_url("**/opportunities")
    card = page.locator(f"li.match[data-demand='{demand['id']}']")
    assert card.is_visible()
    assert {"zh": "1,200万元", "en": "CNY 12 million"}[lang] in card.inner_text()
    assert card.locator(".gap").inner_text().endswith("IATF16949")   # the missing certificate, in plain view
    ok, sizes = no_horizontal_overflow(page)
    page.screenshot(path=str(tmp_path / f"opportunities-{lang}-phone.png"), full_page=True)
    assert ok, f"/opportunities ({lang}) is {sizes[0]}px wide in a {sizes[1]}px viewport"
