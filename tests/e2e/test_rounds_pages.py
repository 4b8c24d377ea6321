"""A matchmaking round in a real browser: an official creates it with the form, adds a pair by hand,
records a signed contract, reads the tally and the printable agenda; the funnel page draws its SVG.
Both languages, and no horizontal scroll at phone width. Screenshots go to E2E_SHOTS when set."""
from __future__ import annotations

import os

import pytest

from graph import engagements as engagement_repo
from graph import rounds as round_repo
from matchmaker.services import items as item_service
from tests.e2e.pages import flashes, sign_in
from tests.helpers import HOME, SYSTEM, gen_enterprise, gen_user

pytestmark = pytest.mark.e2e


def _shot(page, name: str) -> None:
    folder = os.environ.get("E2E_SHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


@pytest.fixture
def cast(db):
    leader = gen_enterprise(db, "leader", name_en="Chengdu Motors")
    sme = gen_enterprise(db, "sme", name_en="Tianfu Castings")
    demand = item_service.create_item(db, SYSTEM, "demand", {
        "enterprise_id": leader["id"], "name": "铝合金电机壳体", "category": "nev.electrical-parts",
        "status": "published", "quantity": 20000, "unit_price": 30000}, HOME)
    return {"leader": leader, "sme": sme, "demand": demand, "official": gen_user(db, "official"),
            "sme_user": gen_user(db, "sme", sme["id"])}


def test_an_official_runs_a_round_in_the_browser(page, db, cast):
    sign_in(page, cast["official"]["email"], cast["official"]["password"])
    page.goto("/rounds/new?lang=zh")
    form = page.locator("main form.stack")
    form.locator("input[name=title]").fill("新能源汽车产业链供需对接会")
    form.locator("input[name=date]").fill("2027-03-15")
    form.locator("input[name=place]").fill("成都天府国际会议中心")
    form.locator("input[name=chains][value=nev]").check()
    with page.expect_navigation():
        form.get_by_role("button").click()
    assert any("已创建对接会" in f for f in flashes(page))
    made = round_repo.list_rounds(db)[0]

    add = page.locator("#add form")
    add.locator("input[name=demand_item_id]").fill(cast["demand"]["id"])
    add.locator("input[name=supplier_id]").fill(cast["sme"]["id"])
    with page.expect_navigation():
        add.get_by_role("button").click()
    pair = round_repo.pairs_of(db, made["id"])[0]
    assert engagement_repo.get(db, pair["engagement_id"])["status"] == "invited"

    page.locator(f"tr[id='{pair['id']}'] summary").click()
    outcome = page.locator(f"tr[id='{pair['id']}'] form.stack")
    outcome.locator("select[name=outcome]").select_option("signed")
    outcome.locator("input[name=value]").fill("108100000")
    outcome.locator("input[name=quantity]").fill("20000")
    outcome.locator("input[name=start_date]").fill("2027-04-01")
    with page.expect_navigation():
        outcome.get_by_role("button").click()
    assert any("结果已记录" in f for f in flashes(page))
    assert page.locator(".tally .headline").inner_text() == "2家企业签约1.08亿元"
    assert engagement_repo.get(db, pair["engagement_id"])["status"] == "contracted"
    _shot(page, "round-zh")

    page.goto(f"/rounds/{made['id']}?lang=en")
    assert page.locator(".tally .headline").inner_text() == "2 firms signed CNY 108.1 million"
    _shot(page, "round-en")

    page.goto(f"/rounds/{made['id']}/agenda?lang=zh")
    assert "1号桌" in page.locator("h2").first.inner_text()
    page.emulate_media(media="print")
    assert not page.locator("p.noprint").is_visible()
    page.emulate_media(media="screen")
    _shot(page, "agenda-zh")

    page.goto("/funnel?lang=zh")
    assert page.locator("svg.funnel-chart rect").count() == 6
    assert page.locator(".funnel-table tbody tr").first.locator("td").first.inner_text() == "已邀请"
    _shot(page, "funnel-zh")
    page.goto("/funnel?lang=en")
    assert page.locator(".funnel-table tbody tr").first.locator("td").first.inner_text() == "Invited"
    _shot(page, "funnel-en")


@pytest.mark.parametrize("path", ["/funnel", "/rounds", "round", "agenda"])
def test_round_pages_fit_a_phone(phone_page, db, cast, path):
    from datetime import date

    from matchmaker.docking import rounds as round_service
    made = round_service.create_round(db, SYSTEM, {"title": "对接会", "date": date(2027, 3, 15), "place": "成都",
                                                   "chains": ["nev"]})
    round_service.add_pairs(db, SYSTEM, made["id"], [{"demand_item_id": cast["demand"]["id"],
                                                      "supplier_id": cast["sme"]["id"]}])
    sign_in(phone_page, cast["official"]["email"], cast["official"]["password"])
    target = {"round": f"/rounds/{made['id']}", "agenda": f"/rounds/{made['id']}/agenda"}.get(path, path)
    phone_page.goto(target)
    width, inner = phone_page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
    assert width <= inner, (path, width, inner)
    _shot(phone_page, f"phone-{path.strip('/')}")
