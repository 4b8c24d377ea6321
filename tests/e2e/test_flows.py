"""User flows in a real browser: sign-in, sign-up and approval, supply and demand items, bad input,
language and phone layout, and another firm's item. Each test checks the page and what was stored."""
from __future__ import annotations

import re

import pytest

from graph import items as item_repo
from graph import users as user_repo
from matchmaker.services import items as item_service
from tests.e2e.pages import (firm_user, flashes, gen_item, header_link, no_horizontal_overflow, pick_category,
                             sign_in, sign_out, submit)
from tests.helpers import HOME, SYSTEM, gen_enterprise, gen_user

pytestmark = pytest.mark.e2e

CAST = "nev.lightweight-castings"  # 轻量化铝合金压铸件


# -- 1. sign in and out ---------------------------------------------------------------------------

def test_sign_in_wrong_password_then_right_one_then_sign_out(page, db):
    _, user = firm_user(db)
    key = f"email:{user['email']}"

    sign_in(page, user["email"], "not-the-password")
    assert re.search(r"/login(\?|$)", page.url)
    assert page.locator("h1").inner_text() == "登录"
    assert "邮箱或密码错误" in " ".join(flashes(page))
    assert page.locator("main input[name=email]").input_value() == user["email"]
    assert page.locator("header .account").get_by_role("link", name="登录").is_visible()
    assert user["email"] not in page.locator("header").inner_text()
    assert user_repo.recent_failures(db, key, 0) == 1

    sign_in(page, user["email"], user["password"])
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", page.url), page.url  # the home page
    assert page.locator("h1").inner_text() == "本地区产业链供需对接平台"
    account = page.locator("header .account")
    assert account.get_by_role("link", name=user["email"]).is_visible()
    assert account.get_by_role("button", name="退出登录").is_visible()
    assert page.locator("header nav").get_by_role("link", name="配套机会").is_visible()  # SME-only link
    assert user_repo.recent_failures(db, key, 0) == 0  # a good sign-in clears the failures

    account.get_by_role("link", name=user["email"]).click()
    page.wait_for_url("**/account")
    assert f"{user['email']} · 专精特新中小企业" in page.locator("main").inner_text()

    sign_out(page)
    assert page.locator("header .account").get_by_role("link", name="登录").is_visible()
    assert user["email"] not in page.locator("header").inner_text()
    page.goto("/account")
    assert re.search(r"/login\?next=(%2F|/)account$", page.url), page.url
    form = page.locator("main form")  # signing in from there returns to the page asked for
    form.locator("input[name=email]").fill(user["email"])
    form.locator("input[name=password]").fill(user["password"])
    with page.expect_navigation():
        form.get_by_role("button").click()
    assert page.url.endswith("/account") and page.locator("h1").inner_text() == "我的账号"


# -- 2. sign-up, approval, first sign-in ----------------------------------------------------------

def test_firm_signs_up_official_approves_and_links_it_then_firm_signs_in(new_page, db):
    enterprise = gen_enterprise(db, role="sme", name="成都精铸科技有限公司")
    leader = gen_enterprise(db, role="leader")
    official = gen_user(db, role="official")
    email, password = "founder@jingzhu.example.cn", "a-long-password-1"

    firm = new_page()
    firm.goto("/?lang=zh")
    firm.locator("header .account").get_by_role("link", name="注册").click()
    firm.wait_for_url("**/signup")
    form = firm.locator("main form")
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=password]").fill(password)
    form.locator("select[name=role]").select_option("sme")
    form.locator("input[name=name]").fill("成都精铸科技")
    submit(firm, "main form")
    assert firm.url.endswith("/login")
    assert any("感谢注册" in f for f in flashes(firm))
    stored = user_repo.get_by_email(db, email)
    assert stored["active"] is False and stored["role"] == "sme" and not stored.get("enterprise_id")

    sign_in(firm, email, password)  # not yet approved
    assert "/login" in firm.url
    assert "等待政府工作人员审核" in " ".join(flashes(firm))
    assert email not in firm.locator("header").inner_text()

    desk = new_page()
    sign_in(desk, official["email"], official["password"])
    header_link(desk, "header nav a[href='/accounts/pending']").click()
    desk.wait_for_url("**/accounts/pending")
    row = desk.locator("main section.signup", has_text=email)
    assert row.count() == 1 and "成都精铸科技" in row.inner_text()
    # the directory search by the sign-up's name offers the firm
    assert row.locator(f"input[name=pick][value='link:{enterprise['id']}']").count() == 1

    # a leader enterprise does not fit an SME account: refused, still pending
    row.locator("input[name=pick][value=typed]").check()
    row.locator("input[name=enterprise_id]").fill(leader["id"])
    with desk.expect_navigation():
        row.get_by_role("button", name="审核通过").click()
    assert any(leader["id"] in f for f in desk.locator("main .flash.error").all_inner_texts())
    assert user_repo.get_by_email(db, email)["active"] is False

    row = desk.locator("main section.signup", has_text=email)
    row.locator(f"input[name=pick][value='link:{enterprise['id']}']").check()
    with desk.expect_navigation():
        row.get_by_role("button", name="审核通过").click()
    assert "账号已审核通过。" in flashes(desk)
    assert desk.locator("main section.signup", has_text=email).count() == 0
    assert desk.get_by_text("暂无待审核的账号。").is_visible()
    stored = user_repo.get_by_email(db, email)
    assert stored["active"] is True and stored["enterprise_id"] == enterprise["id"]

    sign_in(firm, email, password)
    assert "/login" not in firm.url
    assert firm.locator("header .account").get_by_role("link", name=email).is_visible()
    firm.goto("/account")
    firm.get_by_role("link", name="我发布的产品").click()
    firm.wait_for_url(re.compile(rf".*/supply\?.*enterprise={re.escape(enterprise['id'])}"))
    assert firm.locator("h1").inner_text() == "产品供给清单"
    assert firm.get_by_role("link", name="新增产品").is_visible()


# -- 3. an SME's supply item: create, find, edit, withdraw ----------------------------------------

def test_sme_creates_finds_edits_and_withdraws_a_supply_item(page, db):
    enterprise, user = firm_user(db)
    rival, _ = firm_user(db)
    gen_item(db, "supply", rival["id"], name="精密滚动轴承", category="rail.wheels-bearings")
    sign_in(page, user["email"], user["password"])

    page.locator("header nav").get_by_role("link", name="产品供给清单").click()
    page.get_by_role("link", name="新增产品").click()
    page.wait_for_url("**/supply/new")
    assert page.locator("h1").inner_text() == "新增供给产品"
    form = page.locator("main form.stack")
    form.locator("input[name=name]").fill("一体化铝合金压铸壳体")
    form.locator("textarea[name=description]").fill("电驱壳体，A356 铝合金，真空压铸")
    assert pick_category(page, "轻量化铝合金压铸件") == CAST
    form.locator("input[name=capacity]").fill("50000")
    form.locator("input[name=unit]").fill("件")
    form.locator("input[name=certifications]").fill("IATF16949；ISO9001")
    submit(page)

    assert "已保存。" in flashes(page)
    match = re.search(r"/supply/(S-[0-9a-f]{12})$", page.url)
    assert match, page.url
    item_id = match.group(1)
    assert page.locator("h1").inner_text().strip() == "一体化铝合金压铸壳体"
    facts = page.locator("dl.facts").inner_text()
    assert "轻量化铝合金压铸件" in facts and "50,000 件" in facts and "IATF16949, ISO9001" in facts
    stored = item_repo.get(db, "supply", item_id)
    assert stored["name"] == "一体化铝合金压铸壳体" and stored["category_id"] == CAST
    assert stored["capacity"] == 50000 and stored["status"] == "published" and stored["version"] == 1
    assert stored["enterprise_id"] == enterprise["id"]
    assert sorted(stored["certifications"]) == ["IATF16949", "ISO9001"]
    assert page.locator("ul.history > li").count() == 1

    # its own list (from the account page) and the public list with a Chinese text query
    page.goto("/account")
    page.get_by_role("link", name="我发布的产品").click()
    page.wait_for_url(re.compile(r".*/supply\?.*status=all"))
    assert page.locator("table.items tbody tr").all_inner_texts()[0].startswith("一体化铝合金压铸壳体")
    assert page.locator("table.items tbody tr").count() == 1

    page.goto("/supply")
    assert page.locator("table.items tbody tr").count() == 2
    page.locator("form.filters input[name=q]").fill("压铸")
    with page.expect_navigation():
        page.locator("form.filters").get_by_role("button", name="筛选").click()
    assert "q=%E5%8E%8B%E9%93%B8" in page.url
    rows = page.locator("table.items tbody tr")
    assert rows.count() == 1 and "一体化铝合金压铸壳体" in rows.inner_text()
    assert enterprise["name"] in rows.inner_text()
    assert page.get_by_text("共 1 条").is_visible()

    # edit: new name and capacity, one more revision
    rows.get_by_role("link", name="一体化铝合金压铸壳体").click()
    page.wait_for_url(f"**/supply/{item_id}")
    page.locator("main").get_by_role("link", name="编辑").click()
    page.wait_for_url(f"**/supply/{item_id}/edit")
    form = page.locator("main form.stack")
    assert form.locator("input[name=name]").input_value() == "一体化铝合金压铸壳体"
    assert form.locator("input[name=category]").input_value() == CAST
    form.locator("input[name=name]").fill("一体化铝合金压铸电驱壳体")
    form.locator("input[name=capacity]").fill("80000")
    submit(page)
    assert "已保存。" in flashes(page)
    assert page.locator("h1").inner_text().strip() == "一体化铝合金压铸电驱壳体"
    assert "80,000 件" in page.locator("dl.facts").inner_text()
    history = page.locator("ul.history > li")
    assert history.count() == 2 and history.first.inner_text().startswith("修改")
    assert "年产能 50,000 → 80,000" in history.first.inner_text() and "+00:00" not in history.first.inner_text()
    assert user["email"] in history.first.inner_text()
    stored = item_repo.get(db, "supply", item_id)
    assert (stored["name"], stored["capacity"], stored["version"]) == ("一体化铝合金压铸电驱壳体", 80000, 2)
    assert stored["category_id"] == CAST
    assert len(item_repo.history(db, "supply", item_id)) == 2

    # withdraw: kept, marked, gone from the published list
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="撤回").click()
    assert "已撤回。" in flashes(page)
    assert page.locator("h1 .badge").inner_text() == "withdrawn"
    assert page.locator("main").get_by_role("button", name="撤回").count() == 0
    assert page.locator("ul.history > li").count() == 3
    stored = item_repo.get(db, "supply", item_id)
    assert stored["status"] == "withdrawn" and stored["version"] == 3
    page.goto("/supply?q=压铸")
    assert page.get_by_text("没有符合条件的产品。").is_visible()
    page.goto("/supply")
    assert "精密滚动轴承" in page.locator("table.items tbody").inner_text()
    assert "压铸" not in page.locator("table.items tbody").inner_text()
    page.goto(f"/supply?enterprise={enterprise['id']}&status=all")
    assert "withdrawn" in page.locator("table.items tbody tr", has_text="压铸电驱壳体").inner_text()


def test_editing_a_withdrawn_item_keeps_it_withdrawn(page, db):
    """Fixing a typo in a withdrawn item must not publish it again behind the owner's back."""
    enterprise, user = firm_user(db)
    item = gen_item(db, "supply", enterprise["id"], name="精密冲压件", category="nev.stamping")
    item_service.end_item(db, SYSTEM, "supply", item["id"], HOME)
    sign_in(page, user["email"], user["password"])
    page.goto(f"/supply/{item['id']}")
    assert page.locator("h1 .badge").inner_text() == "withdrawn"
    edit = page.locator("main").get_by_role("link", name="编辑")
    if edit.count():  # (a fix may also hide or refuse the edit page of a withdrawn item)
        with page.expect_navigation():
            edit.click()
        form = page.locator("main form.stack")
        if form.count():
            form.locator("textarea[name=description]").fill("更正说明")
            submit(page)
            assert "已保存。" in flashes(page)
            assert item_repo.get(db, "supply", item["id"])["description"] == "更正说明"
    stored = item_repo.get(db, "supply", item["id"])
    assert stored["status"] == "withdrawn", "saving the edit form republished a withdrawn item"
    page.goto("/supply")
    assert page.get_by_text("没有符合条件的产品。").is_visible()


# -- 4. a leader's demand item and its value ------------------------------------------------------

def test_leader_creates_a_demand_item_and_sees_its_value(page, db):
    enterprise, user = firm_user(db, role="leader")
    sign_in(page, user["email"], user["password"])
    page.goto("/demand")
    page.get_by_role("link", name="新增产品").click()
    page.wait_for_url("**/demand/new")
    form = page.locator("main form.stack")
    form.locator("input[name=name]").fill("电驱壳体压铸件")
    pick_category(page, "轻量化铝合金压铸件")
    form.locator("input[name=quantity]").fill("1200")
    form.locator("input[name=unit]").fill("件")
    form.locator("input[name=unit_price]").fill("350.5")
    form.locator("input[name=current_supplier_region]").fill("上海市嘉定区")
    form.locator("input[name=deadline]").fill("2030-06-30")
    submit(page)

    assert "已保存。" in flashes(page)
    item_id = re.search(r"/demand/(D-[0-9a-f]{12})$", page.url).group(1)
    facts = page.locator("dl.facts")
    assert facts.locator("dt:has-text('金额') + dd").inner_text() == "42.06万元"
    assert "1,200 件" in facts.inner_text() and "350.50" in facts.inner_text()
    assert "上海市嘉定区" in facts.inner_text() and "2030-06-30" in facts.inner_text()
    stored = item_repo.get(db, "demand", item_id)
    assert stored["value"] == pytest.approx(420_600)
    assert (stored["quantity"], stored["unit_price"]) == (1200, 350.5)
    assert stored["enterprise_id"] == enterprise["id"] and stored["category_id"] == CAST
    assert stored["current_supplier_local"] is False

    page.goto("/demand")
    row = page.locator("table.items tbody tr", has_text="电驱壳体压铸件")
    assert row.count() == 1
    assert "42.06万元" in row.inner_text() and "2030-06-30" in row.inner_text()


# -- 5. bad input --------------------------------------------------------------------------------

def test_browser_refuses_an_empty_name_and_a_negative_number_before_sending(page, db):
    _, user = firm_user(db)
    sign_in(page, user["email"], user["password"])
    page.goto("/supply/new")
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    form = page.locator("main form.stack")
    form.locator("input[name=capacity]").fill("-5")
    form.get_by_role("button").last.click()
    page.wait_for_timeout(500)
    assert posts == [] and page.url.endswith("/supply/new")
    assert form.locator("input[name=name]").evaluate("e => !e.validity.valid && e.validity.valueMissing")
    assert form.locator("input[name=capacity]").evaluate("e => e.validity.rangeUnderflow")
    assert item_repo.count(db, "supply") == 0


@pytest.mark.parametrize("kind, values, bad_fields", [  # bad fields: name -> its label on the page
    ("supply", {"name": "   ", "capacity": "-5", "unit": "件"}, {"name": "名称", "capacity": "年产能"}),
    ("demand", {"name": "轴承", "quantity": "-3", "unit_price": "-1"},
     {"quantity": "年需求量", "unit_price": "单价（元）"}),
])
def test_server_shows_per_field_errors_and_stores_nothing(page, db, kind, values, bad_fields):
    _, user = firm_user(db, role="sme" if kind == "supply" else "leader")
    sign_in(page, user["email"], user["password"])
    page.goto(f"/{kind}/new")
    form = page.locator("main form.stack")
    form.evaluate("f => { f.noValidate = true; }")  # what a browser without form validation sends
    for name, value in values.items():
        form.locator(f"[name={name}]").fill(value)
    response_status = []
    page.on("response", lambda r: response_status.append(r.status) if r.request.method == "POST" else None)
    submit(page)

    assert response_status == [422]
    assert page.url.endswith(f"/{kind}/new")
    errors = page.locator("main .flash.error li")
    shown = {li.locator("b").inner_text(): li.inner_text() for li in errors.all()}
    assert set(shown) == set(bad_fields.values()), shown
    for field, label in bad_fields.items():
        assert shown[label].endswith("必填。" if field == "name" else "须为 0 到 1,000,000,000,000,000 之间的数字"), \
            shown[label]
    for name, value in values.items():  # the form keeps what was typed
        assert page.locator(f"main form.stack [name={name}]").input_value() == value
    assert item_repo.count(db, kind) == 0



def test_errors_in_the_chinese_ui_are_in_chinese(page, db):
    _, user = firm_user(db)
    cjk = re.compile(r"[\u4e00-\u9fff]")
    sign_in(page, user["email"], "not-the-password")
    assert cjk.search(" ".join(flashes(page))), flashes(page)
    sign_in(page, user["email"], user["password"])
    page.goto("/supply/new")
    page.locator("main form.stack").evaluate("f => { f.noValidate = true; }")
    page.locator("main form.stack input[name=name]").fill(" ")
    submit(page)
    for line in page.locator("main .flash.error li").all_inner_texts():
        assert cjk.search(line), line


# -- 6. language and phone layout ----------------------------------------------------------------

def test_language_switch_on_the_lists_persists_across_pages_and_sign_in(page, db):
    _, user = firm_user(db)
    page.goto("/supply?lang=zh")
    assert page.locator("h1").inner_text() == "产品供给清单"
    page.locator("header .lang").get_by_role("link", name="EN").click()
    page.wait_for_url("**/supply?lang=en")
    assert page.locator("h1").inner_text() == "Supply list"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("form.filters").get_by_role("button").inner_text() == "Filter"

    page.locator("header nav").get_by_role("link", name="Demand list").click()
    page.wait_for_url(re.compile(r".*/demand$"))
    assert page.locator("h1").inner_text() == "Demand list"
    page.locator("header .account").get_by_role("link", name="Sign in").click()
    page.wait_for_url("**/login")
    assert page.locator("h1").inner_text() == "Sign in"
    form = page.locator("main form")
    form.locator("input[name=email]").fill(user["email"])
    form.locator("input[name=password]").fill(user["password"])
    with page.expect_navigation():
        form.get_by_role("button").click()
    assert page.locator("h1").inner_text() == "Supply-chain matchmaking for the home region"  # still English once signed in
    assert page.locator("header nav").get_by_role("link", name="Opportunities").is_visible()

    page.locator("header .lang").get_by_role("link", name="中文").click()
    page.wait_for_url("**/?lang=zh")
    assert page.locator("h1").inner_text() == "本地区产业链供需对接平台"
    page.locator("header nav").get_by_role("link", name="产品供给清单").click()
    page.wait_for_url(re.compile(r".*/supply$"))
    assert page.locator("h1").inner_text() == "产品供给清单"
    assert page.locator("html").get_attribute("lang") == "zh-CN"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_supply_list_is_usable_at_phone_width(new_page, db, lang):
    enterprise, user = firm_user(db, name="成都市双流区高新技术产业开发区精密智能装备制造股份有限公司",
                                 name_en="Chengdu Shuangliu Precision Intelligent Equipment Co Ltd")
    for n in range(3):  # long names without spaces, big numbers: what widens a table most
        gen_item(db, "supply", enterprise["id"], name=f"一体化铝合金真空高压压铸电驱动总成壳体与端盖组件{n}",
                 category=CAST, capacity=1_250_000 + n, unit="件")
    page = new_page({"width": 390, "height": 844})
    sign_in(page, user["email"], user["password"], lang)  # signed in: the header is at its fullest
    page.goto(f"/supply?lang={lang}")
    rows = page.locator("table.items tbody tr")
    assert rows.count() == 3
    ok, sizes = no_horizontal_overflow(page)
    assert ok, f"/supply ({lang}) is {sizes[0]}px wide in a {sizes[1]}px viewport"

    # usable: the search box and the filter button fit on screen and work
    search = page.locator("form.filters input[name=q]")
    button = page.locator("form.filters").get_by_role("button")
    for element in (search, button, rows.first.get_by_role("link")):
        box = element.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 391, box
    search.fill("端盖组件1")
    with page.expect_navigation():
        button.click()
    assert rows.count() == 1 and "端盖组件1" in rows.inner_text()
    assert no_horizontal_overflow(page)[0]


# -- 7. another firm's item -----------------------------------------------------------------------

def _two_firms(db):
    _, intruder = firm_user(db)
    owner, _ = firm_user(db)
    item = gen_item(db, "supply", owner["id"], name="高精度齿轮", capacity=100, unit="件")
    return intruder, item


def test_sme_cannot_open_the_edit_page_of_another_firms_item(page, db):
    intruder, item = _two_firms(db)
    sign_in(page, intruder["email"], intruder["password"])

    page.goto(f"/supply/{item['id']}")
    assert page.locator("h1").inner_text().strip() == "高精度齿轮"
    main = page.locator("main")
    assert main.get_by_role("link", name="编辑").count() == 0
    assert main.get_by_role("button", name="撤回").count() == 0
    assert page.locator("ul.history").count() == 0

    response = page.goto(f"/supply/{item['id']}/edit")
    assert response.status == 403
    assert page.locator("h1").inner_text() == "403"
    assert page.locator("main form.stack").count() == 0
    assert item_repo.get(db, "supply", item["id"])["version"] == 1


def test_anonymous_visitor_opening_an_edit_page_is_sent_to_sign_in(page, db):
    _, item = _two_firms(db)
    page.goto(f"/supply/{item['id']}/edit")
    assert "/login?next=" in page.url
    assert page.locator("h1").inner_text() == "登录"  # the sign-in form (a form.stack too), not the item's
    assert page.locator("main form.stack input[name=capacity]").count() == 0
    assert "高精度齿轮" not in page.locator("main").inner_text()


def test_sme_cannot_change_or_withdraw_another_firms_item(page, db):
    intruder, item = _two_firms(db)
    sign_in(page, intruder["email"], intruder["password"])
    page.goto("/supply/new")  # any page of ours gives the session's CSRF token
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")

    edit = page.request.post(f"/supply/{item['id']}/edit", form={"csrf_token": token, "name": "被改掉的名字"},
                             max_redirects=0)
    assert edit.status == 403 and "may not change" in edit.text()
    end = page.request.post(f"/supply/{item['id']}/end", form={"csrf_token": token}, max_redirects=0)
    assert end.status == 403
    stored = item_repo.get(db, "supply", item["id"])
    assert (stored["name"], stored["status"], stored["version"]) == ("高精度齿轮", "published", 1)
    assert len(item_repo.history(db, "supply", item["id"])) == 1

