"""Docking in a real browser: the leader invites the local supplier from the suggestions, the SME answers
from its list ("invitations to answer"), the leader records the contract; the pages at phone width in both
languages. Screenshots go to the test's tmp_path (run with --basetemp=DIR to keep them)."""
from __future__ import annotations

import pytest

from tests.e2e.pages import flashes, header_link, no_horizontal_overflow, sign_in, sign_out
from tests.e2e.test_match_flow import WIDTHS, _market, _wait_for
from tests.helpers import gen_user

pytestmark = pytest.mark.e2e
SENT = {"zh": "邀请已发出。", "en": "Invitation sent."}
ACCEPT = {"zh": "接受邀请", "en": "Accept the invitation"}
RECORD = {"zh": "登记签约", "en": "Record the contract"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_invitation_to_contract_in_the_browser(new_page, live_server, db, tmp_path, lang):
    from tests.helpers import gen_token

    user, demand, firms = _market(db)
    local = firms["local"]
    sme_user = gen_user(db, "sme", local["id"])
    _wait_for(live_server, gen_token(db, user), f"/api/v1/demand-items/{demand['id']}/matches",
              lambda m: m["enterprise"]["id"], {f["id"] for f in firms.values()})
    page = new_page(WIDTHS["phone"], locale="zh-CN" if lang == "zh" else "en-US")
    page.set_default_navigation_timeout(30_000)
    sign_in(page, user["email"], user["password"], lang)
    page.goto(f"/demand/{demand['id']}")
    card = page.locator(f"#suggestions li.match[data-enterprise='{local['id']}']")
    card.locator("form.invite input[name=note]").fill("请报价" if lang == "zh" else "please quote")
    with page.expect_navigation():
        card.locator("form.invite button").click()
    assert SENT[lang] in flashes(page)
    engagement_url = page.url
    page.screenshot(path=str(tmp_path / f"engagement-{lang}-invited.png"), full_page=True)
    sign_out(page)

    sign_in(page, sme_user["email"], sme_user["password"], lang)
    header_link(page, "header nav a[href='/engagements']").click()
    page.wait_for_url("**/engagements")
    assert page.locator("section.to-answer tbody tr").count() == 1
    assert no_horizontal_overflow(page)[0]
    page.screenshot(path=str(tmp_path / f"engagements-{lang}-list.png"), full_page=True)
    with page.expect_navigation():
        page.locator("section.to-answer tbody a").first.click()
    with page.expect_navigation():
        page.get_by_role("button", name=ACCEPT[lang]).click()
    sign_out(page)

    sign_in(page, user["email"], user["password"], lang)
    page.goto(engagement_url)
    form = page.locator("form.move-form", has=page.locator("input[name=start_date]"))
    form.locator("input[name=quantity]").fill("10000")
    form.locator("input[name=value]").fill("12000000")
    form.locator("input[name=start_date]").fill("2027-01-01")
    with page.expect_navigation():
        form.get_by_role("button", name=RECORD[lang]).click()
    assert page.locator("h1 .stage-badge").inner_text() == {"zh": "已签约", "en": "Contracted"}[lang]
    assert page.locator("ol.timeline li").count() == 3
    ok, sizes = no_horizontal_overflow(page)
    page.screenshot(path=str(tmp_path / f"engagement-{lang}-contracted.png"), full_page=True)
    assert ok, f"the engagement page ({lang}) is {sizes[0]}px wide in a {sizes[1]}px viewport"
