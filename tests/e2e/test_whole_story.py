"""The whole story in a real browser, once in Chinese and once in English (issue 12).

An SME signs up, an official approves the account and links it to its enterprise, the SME publishes a
motor controller (Chinese and English text, no category: the platform proposes one and the official
settles it on the category review page); a chain leader posts a demand for a motor controller in the
other language, sees the SME suggested and invites it; the SME reads the invitation in its notifications
and accepts; the leader moves the engagement through the stages up to a recorded contract; the official
sees the chain's gap map, category rate and dashboard change. Every step is done through the pages;
only the official's, the leader's and the SME's enterprise records are set up through the services.

Screenshots of every step are kept in test-artifacts/e2e/whole-story-<lang>/NN-step.png at the root of
the repository (gitignored; overwritten on each run).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e.pages import (firm_user, flashes, header_link, key_texts, pick_category, sign_in, submit,
                             suggested_suppliers, wrong_language)
from tests.helpers import gen_enterprise, gen_user

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
CATEGORY = "nev.power-electronics"
PASSWORD = "a-long-password-1"

# An 800V controller: a 350V one would rightly not be suggested for an 800V platform (a spec conflict).
SIGN_UP_NAME = "成都芯驰电驱科技"  # what the SME types at sign-up (shown back to the official as typed)
PRODUCT = {"name": "碳化硅电机控制器 SiC motor controller",
           "description": "乘用车驱动电机控制器，SiC功率模块，800V平台，CAN FD通讯，功能安全ASIL C。"
                          "800V SiC motor controller (traction inverter) for passenger EVs, CAN FD, ASIL C."}
DEMAND = {"zh": {"name": "Motor controller for an 800V e-drive",
                 "description": "SiC motor controller (traction inverter) for our 800V platform, CAN FD"},
          "en": {"name": "电机控制器（800V电驱平台）",
                 "description": "碳化硅电机控制器，用于800V平台电驱动系统，CAN FD通讯"}}
TEXT = {
    "zh": {"signup": "企业账号注册", "thanks": "感谢注册", "pending": "待审核账号", "approve": "审核通过",
           "approved": "账号已审核通过。", "new_supply": "新增供给产品", "saved": "已保存。",
           "review": "分类审核", "save_category": "采用此分类", "category": "电机控制器与功率模块",
           "new_demand": "新增需求产品", "suggested": "推荐供应商", "invite": "邀请对接", "sent": "邀请已发出。",
           "notifications": "消息通知", "invites": "邀请贵企业对接供应", "accept": "接受邀请", "accepted": "已接受",
           "save_stage": "保存阶段", "record": "登记签约", "contracted": "已签约", "gap_map": "链条缺口图",
           "gap": "缺口：无本地供应商", "weak": "薄弱：仅一家本地供应商", "rate": "本地配套率",
           "dashboard": "产业链看板", "value": "1,200万元", "region": "上海市嘉定区"},
    "en": {"signup": "Sign up your firm", "thanks": "Thank you", "pending": "Accounts waiting for approval",
           "approve": "Approve", "approved": "Account approved.", "new_supply": "New supply item",
           "saved": "Saved.", "review": "Category review", "save_category": "Save this category",
           "category": "Motor controllers and power modules", "new_demand": "New demand item",
           "suggested": "Suggested suppliers", "invite": "Invite", "sent": "Invitation sent.",
           "notifications": "Notifications", "invites": "invites your firm to supply",
           "accept": "Accept the invitation", "accepted": "Accepted", "save_stage": "Save the stage",
           "record": "Record the contract", "contracted": "Contracted", "gap_map": "Gap map",
           "gap": "Gap: no local supplier", "weak": "Weak: one local supplier", "rate": "Localization rate",
           "dashboard": "Dashboard of the chains", "value": "CNY 12 million", "region": "310114"},
}
STAGES = ("contact", "samples", "qualification")


class Story:
    """The three people's pages in one language, the screenshots, and the user-typed texts that may be in
    the other language on a page."""

    def __init__(self, new_page, lang: str, folder: Path):
        self.lang, self.text, self.folder, self.shots = lang, TEXT[lang], folder, 0
        self.new_page = new_page
        self.own_words = [PRODUCT["name"], PRODUCT["description"], *DEMAND[lang].values(), SIGN_UP_NAME]

    def page(self):
        page = self.new_page(locale="zh-CN" if self.lang == "zh" else "en-US")
        page.set_default_navigation_timeout(30_000)  # demand pages rank suppliers: slow on a loaded machine
        return page

    def shoot(self, page, step: str) -> None:
        """A full-page screenshot, then a check that the page's headings, buttons, labels, table heads,
        flashes and badges are in the story's language."""
        self.shots += 1
        page.screenshot(path=str(self.folder / f"{self.shots:02d}-{step}.png"), full_page=True)
        leftovers = wrong_language(key_texts(page), self.lang, self.own_words)
        assert not leftovers, f"{step} ({self.lang}): not in the page's language: {leftovers}"


def h1(page) -> str:
    return page.locator("main h1").inner_text()


# -- the story's steps ------------------------------------------------------------------------------

def sme_signs_up(story: Story, sme_page, email: str) -> None:
    t = story.text
    sme_page.goto(f"/?lang={story.lang}")
    header_link(sme_page, "header .account a[href='/signup']").click()
    sme_page.wait_for_url("**/signup")
    assert h1(sme_page) == t["signup"]
    form = sme_page.locator("main form")
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("select[name=role]").select_option("sme")
    form.locator("input[name=name]").fill(SIGN_UP_NAME)
    story.shoot(sme_page, "sme-signs-up")
    submit(sme_page, "main form")
    assert sme_page.url.endswith("/login") and any(t["thanks"] in f for f in flashes(sme_page))
    story.shoot(sme_page, "sme-signed-up")


def official_approves(story: Story, desk, email: str, enterprise_id: str) -> None:
    t = story.text
    header_link(desk, "header nav a[href='/accounts/pending']").click()
    desk.wait_for_url("**/accounts/pending")
    assert h1(desk) == t["pending"]
    row = desk.locator("main section.signup", has_text=email)
    row.locator(f"input[name=pick][value='link:{enterprise_id}']").check()  # the directory search found the firm
    story.shoot(desk, "official-approves")
    with desk.expect_navigation():
        row.get_by_role("button", name=t["approve"]).click()
    assert t["approved"] in flashes(desk) and desk.locator("main section.signup", has_text=email).count() == 0
    story.shoot(desk, "official-approved")


def sme_publishes(story: Story, sme_page, email: str) -> str:
    """The SME's motor controller, without a category: the platform proposes one. Returns its id."""
    t = story.text
    sign_in(sme_page, email, PASSWORD, story.lang)
    header_link(sme_page, "header nav a[href='/supply']").first.click()
    sme_page.wait_for_url(re.compile(r".*/supply(\?.*)?$"))
    sme_page.locator("main a[href='/supply/new']").click()
    sme_page.wait_for_url("**/supply/new")
    assert h1(sme_page) == t["new_supply"]
    form = sme_page.locator("main form.stack")
    form.locator("input[name=name]").fill(PRODUCT["name"])
    form.locator("textarea[name=description]").fill(PRODUCT["description"])
    form.locator("input[name=capacity]").fill("100000")
    form.locator("input[name=unit]").fill("套" if story.lang == "zh" else "sets")
    form.locator("input[name=certifications]").fill("IATF16949;ISO26262")
    story.shoot(sme_page, "sme-new-product")
    submit(sme_page)
    assert t["saved"] in flashes(sme_page)
    story.shoot(sme_page, "sme-product-published")
    return re.search(r"/supply/(S-[0-9a-f]{12})$", sme_page.url).group(1)


def official_settles_the_category(story: Story, desk, item_id: str) -> None:
    t = story.text
    header_link(desk, "header nav a[href='/categories/review']").click()
    desk.wait_for_url("**/categories/review")
    assert h1(desk) == t["review"]
    row = desk.locator("main tbody tr", has=desk.locator(f"a[href='/supply/{item_id}']"))
    assert row.count() == 1
    form = row.locator("form", has=desk.locator("select[name=category_id]"))
    form.locator("select[name=category_id]").select_option(CATEGORY)
    story.shoot(desk, "official-reviews-category")
    with desk.expect_navigation():
        form.get_by_role("button", name=t["save_category"]).click()
    assert desk.locator(f"main a[href='/supply/{item_id}']").count() == 0  # reviewed: off the queue
    story.shoot(desk, "official-category-settled")


def leader_posts_and_invites(story: Story, boss, leader: dict, supplier_id: str) -> str:
    """The leader's demand, its suggestions with the SME among them, the invitation. Returns the
    engagement page's path."""
    t, demand = story.text, DEMAND[story.lang]
    sign_in(boss, leader["email"], leader["password"], story.lang)
    header_link(boss, "header nav a[href='/demand']").first.click()
    boss.wait_for_url(re.compile(r".*/demand(\?.*)?$"))
    boss.locator("main a[href='/demand/new']").click()
    boss.wait_for_url("**/demand/new")
    assert h1(boss) == t["new_demand"]
    form = boss.locator("main form.stack")
    form.locator("input[name=name]").fill(demand["name"])
    form.locator("textarea[name=description]").fill(demand["description"])
    assert pick_category(boss, t["category"]) == CATEGORY
    form.locator("input[name=quantity]").fill("5000")
    form.locator("input[name=unit]").fill("套" if story.lang == "zh" else "sets")
    form.locator("input[name=unit_price]").fill("2600")
    form.locator("input[name=current_supplier_region]").fill(t["region"])
    form.locator("input[name=deadline]").fill("2030-06-30")
    story.shoot(boss, "leader-new-demand")
    submit(boss)
    assert t["saved"] in flashes(boss)
    assert boss.locator("#suggestions h2").inner_text() == t["suggested"]
    assert supplier_id in suggested_suppliers(boss, 1, timeout_s=30)
    card = boss.locator(f"#suggestions li.match[data-enterprise='{supplier_id}']")
    assert PRODUCT["name"] in card.inner_text()
    card.locator("form.invite input[name=note]").fill("请报价" if story.lang == "zh" else "please quote")
    story.shoot(boss, "leader-sees-sme-suggested")
    with boss.expect_navigation():
        card.locator("form.invite").get_by_role("button", name=t["invite"]).click()
    assert t["sent"] in flashes(boss)
    story.shoot(boss, "leader-invited")
    return re.search(r"/engagements/[^/?#]+", boss.url).group(0)


def sme_accepts(story: Story, sme_page, demand_name: str) -> None:
    t = story.text
    sme_page.goto("/")
    header_link(sme_page, "header .account a.notifications-link").click()
    sme_page.wait_for_url(re.compile(r".*/notifications(\?.*)?$"))
    assert h1(sme_page) == t["notifications"]
    note = sme_page.locator("ul.notifications li.unread", has_text=t["invites"])
    assert note.count() == 1 and demand_name in note.inner_text()
    story.shoot(sme_page, "sme-notified")
    with sme_page.expect_navigation():
        note.locator("a").first.click()
    with sme_page.expect_navigation():
        sme_page.get_by_role("button", name=t["accept"]).click()
    assert sme_page.locator("h1 .stage-badge").inner_text() == t["accepted"]
    story.shoot(sme_page, "sme-accepted")


def leader_records_the_contract(story: Story, boss, engagement_path: str) -> None:
    t = story.text
    boss.goto(engagement_path)
    for stage in STAGES:  # the leader's side of the ladder, one step at a time
        form = boss.locator("form.move-form", has=boss.locator("select[name=status]"))
        form.locator("select[name=status]").select_option(stage)
        with boss.expect_navigation():
            form.get_by_role("button", name=t["save_stage"]).click()
        assert boss.locator("h1 .stage-badge").get_attribute("class").endswith(f"stage-{stage}")
    form = boss.locator("form.move-form", has=boss.locator("input[name=start_date]"))
    form.locator("input[name=quantity]").fill("5000")
    form.locator("input[name=value]").fill("12000000")
    form.locator("input[name=start_date]").fill("2027-01-01")
    story.shoot(boss, "leader-records-contract")
    with boss.expect_navigation():
        form.get_by_role("button", name=t["record"]).click()
    assert boss.locator("h1 .stage-badge").inner_text() == t["contracted"]
    assert t["value"] in boss.locator("dl.facts").inner_text()
    assert boss.locator("ol.timeline li").count() == 2 + len(STAGES) + 1  # invited, accepted, stages, contract
    story.shoot(boss, "leader-contracted")


# -- what the official reads ------------------------------------------------------------------------

def category_row(story: Story, desk, step: str) -> dict:
    """The chain page's row of the category: its coverage, local suppliers, rate and contracted value."""
    desk.goto("/dashboard")
    with desk.expect_navigation():
        desk.locator("main table.dashboard a[href='/chains/nev#gap-map']").click()
    assert desk.locator("#gap-map h2").inner_text() == story.text["gap_map"]
    assert desk.locator("#gap-map svg.gap-map").is_visible()
    assert story.text["rate"] in desk.locator("#categories thead").inner_text()
    node = desk.locator(f"#gap-map svg a.node[data-id='{CATEGORY}']")
    story.shoot(desk, step)
    cells = desk.locator(f"tr[id='category-{CATEGORY}'] td").all_inner_texts()
    return {"map": node.get_attribute("class"), "coverage": cells[1], "local": cells[2].split()[0],
            "rate": cells[5], "contracted": cells[6]}


def dashboard_row(story: Story, desk, step: str) -> dict:
    header_link(desk, "header nav a[href='/dashboard']").click()
    desk.wait_for_url("**/dashboard")
    assert story.text["dashboard"] in h1(desk)
    row = desk.locator("table.dashboard tbody tr", has=desk.locator("a[href='/chains/nev']")).first
    story.shoot(desk, step)
    return {"rate": row.locator("td.rate strong").inner_text(),
            "opened": row.locator("td").nth(7).inner_text(), "signed": row.locator("td").nth(8).inner_text()}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_whole_story_in_the_browser(new_page, db, lang):
    """See the module's docstring; screenshots in test-artifacts/e2e/whole-story-<lang>/."""
    folder = ARTIFACTS / f"whole-story-{lang}"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    story, t = Story(new_page, lang, folder), TEXT[lang]
    official = gen_user(db, "official")
    _, leader = firm_user(db, role="leader", chains=["nev"], name="成都新能源整车制造有限公司",
                          name_en="Chengdu NEV Vehicle Manufacturing Co", annual_procurement=100_000_000,
                          local_procurement=20_000_000)
    sme = gen_enterprise(db, role="sme", region="510116", tier="srsn", name="成都芯驰电驱科技有限公司",
                         name_en="Chengdu Xinchi E-Drive Technology Co")
    email = f"founder-{lang}@xinchi.example.cn"

    desk, sme_page, boss = story.page(), story.page(), story.page()
    sign_in(desk, official["email"], official["password"], lang)
    board_before = dashboard_row(story, desk, "official-dashboard-before")
    before = category_row(story, desk, "official-chain-before")
    assert before == {"map": "node state-gap", "coverage": t["gap"], "local": "0", "rate": "—", "contracted": "—"}
    assert board_before == {"rate": "20%", "opened": "0", "signed": "0"}

    sme_signs_up(story, sme_page, email)
    official_approves(story, desk, email, sme["id"])
    item_id = sme_publishes(story, sme_page, email)
    official_settles_the_category(story, desk, item_id)
    engagement = leader_posts_and_invites(story, boss, leader, sme["id"])
    sme_accepts(story, sme_page, DEMAND[lang]["name"])
    leader_records_the_contract(story, boss, engagement)

    after = category_row(story, desk, "official-chain-after")
    assert after == {"map": "node state-weak", "coverage": t["weak"], "local": "1",
                     "rate": "92.3%", "contracted": t["value"]}   # 12 of the demand's 13 million
    assert dashboard_row(story, desk, "official-dashboard-after") == {"rate": "32%", "opened": "1", "signed": "1"}


def test_the_language_check_finds_leftovers_and_leaves_typed_text_alone():
    own = ["Motor controller for an 800V e-drive", "碳化硅电机控制器"]
    assert wrong_language(["保存阶段", "Save the stage", "IATF16949", "Motor controller for an 800V e-drive 已签约",
                           "本地 Weak one local"], "zh", own) == ["Save the stage", "本地 Weak one local"]
    assert wrong_language(["Save the stage", "碳化硅电机控制器 Contracted", "保存"], "en", own) == ["保存"]
