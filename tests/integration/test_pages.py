"""Server-rendered pages: sign-in, sign-up and approval, lists, item forms with CSRF."""
from __future__ import annotations

import re

from tests.helpers import firm_with_token, gen_user, bearer


def _csrf(client, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _login(client, user) -> None:
    token = _csrf(client, "/login")
    response = client.post("/login", data={"email": user["email"], "password": user["password"],
                                           "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)


def test_form_without_csrf_token_is_refused(client, db):
    user = gen_user(db, "official")
    response = client.post("/login", data={"email": user["email"], "password": user["password"]})
    assert response.status_code == 400 and "CSRF" in response.get_data(as_text=True)


def test_wrong_password_shows_an_error_and_no_session(client, db):
    user = gen_user(db, "official")
    token = _csrf(client, "/login")
    response = client.post("/login", data={"email": user["email"], "password": "nope-nope-nope",
                                           "csrf_token": token})
    assert response.status_code == 401 and "邮箱或密码错误" in response.get_data(as_text=True)  # a Chinese page
    assert client.get("/account").status_code == 302  # still signed out: sent to the login page
    client.get("/login?lang=en")
    response = client.post("/login", data={"email": user["email"], "password": "nope-nope-nope",
                                           "csrf_token": _csrf(client, "/login")})
    assert response.status_code == 401 and "wrong email or password" in response.get_data(as_text=True)
    api = client.post("/api/v1/auth/token", json={"email": user["email"], "password": "nope-nope-nope"},
                      headers={"Accept-Language": "zh"})
    assert api.get_json()["error"]["message"] == "wrong email or password"  # the API keeps its English


def test_signup_approval_and_session_cookie_flags(client, db):
    enterprise, _, _ = firm_with_token(db, "sme")
    token = _csrf(client, "/signup")
    response = client.post("/signup", data={"email": "new.sme@example.cn", "password": "long-enough-pw",
                                            "role": "sme", "name": "新企业", "csrf_token": token})
    assert response.status_code == 302
    official = gen_user(db, "official")
    _login(client, official)
    cookie = client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax"
    pending = client.get("/accounts/pending").get_data(as_text=True)
    assert "new.sme@example.cn" in pending
    user_id = re.search(r'/accounts/([^/]+)/approve', pending).group(1)
    token = _csrf(client, "/accounts/pending")
    bad = client.post(f"/accounts/{user_id}/approve", data={"enterprise_id": "no-such-firm", "csrf_token": token},
                      follow_redirects=True)
    assert "没有编号为“no-such-firm”的企业" in bad.get_data(as_text=True)  # the reason, in the page's language
    client.post(f"/accounts/{user_id}/approve", data={"enterprise_id": enterprise["id"], "csrf_token": token})
    assert "new.sme@example.cn" not in client.get("/accounts/pending").get_data(as_text=True)


def test_signup_with_bad_fields_names_them(client, db):
    token = _csrf(client, "/signup")
    response = client.post("/signup", data={"email": "not-an-email", "password": "short", "role": "king",
                                            "name": "", "csrf_token": token})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    # the fields under their labels, the reasons in the page's language (Chinese by default)
    assert all(f"<b>{label}</b>" in page for label in ("邮箱", "密码", "角色", "名称")), page
    assert "部分字段填写有误" in page and "不是有效的邮箱地址。" in page and "须为 10 到 200 个字符。" in page
    assert "请从以下选项中选择：leader, sme。" in page and "Missing data" not in page
    client.get("/signup?lang=en")
    page = client.post("/signup", data={"email": "not-an-email", "password": "short", "role": "king",
                                        "name": "", "csrf_token": _csrf(client, "/signup")}).get_data(as_text=True)
    assert all(f"<b>{label}</b>" in page for label in ("Email", "Password", "Role", "Name")), page
    assert "Not an email address." in page and "Use 10 to 200 characters." in page


def test_sme_creates_and_edits_an_item_through_the_pages(client, db):
    enterprise, user, _ = firm_with_token(db, "sme")
    _login(client, user)
    token = _csrf(client, "/supply/new")
    created = client.post("/supply/new", data={"name": "精密齿轮", "description": "渗碳淬火 齿轮 变速箱",
                                               "capacity": "1000", "unit": "件", "certifications": "ISO9001; IATF16949",
                                               "status": "published", "csrf_token": token})
    assert created.status_code == 302
    item_path = created.headers["Location"]
    page = client.get(item_path).get_data(as_text=True)
    assert "精密齿轮" in page and "ISO9001, IATF16949" in page
    token = _csrf(client, f"{item_path}/edit")
    bad = client.post(f"{item_path}/edit", data={"capacity": "-3", "csrf_token": token})
    assert bad.status_code == 422 and "<b>年产能</b>：须为 0 到 1,000,000,000,000,000 之间的数字" in bad.get_data(as_text=True)
    client.post(f"{item_path}/edit", data={"capacity": "2000", "csrf_token": token})
    assert "2,000" in client.get(item_path).get_data(as_text=True)


def test_another_firm_cannot_open_the_edit_form(client, db):
    _, _, owner_token = firm_with_token(db, "sme")
    item = client.post("/api/v1/supply-items", json={"name": "轴承"}, headers=bearer(owner_token)).get_json()["data"]
    _, other, _ = firm_with_token(db, "sme")
    _login(client, other)
    token = _csrf(client, "/supply")
    response = client.post(f"/supply/{item['id']}/edit", data={"name": "x", "csrf_token": token})
    assert response.status_code == 403


def test_browse_pages_filter_and_page(client, db):
    _, _, token = firm_with_token(db, "sme", region="成都市郫都区")
    for n in range(3):
        client.post("/api/v1/supply-items", json={"name": f"压铸件{n}"}, headers=bearer(token))
    page = client.get("/supply?q=压铸&per_page=2&lang=en").get_data(as_text=True)
    assert "3 items" in page and "Next" in page and "local" in page
    bad = client.get("/supply?per_page=1000")
    assert bad.status_code == 422
    assert client.get("/widgets").status_code == 404


def test_import_page_previews_then_imports(client, db):
    import io

    from graph import enterprises as enterprise_repo

    official = gen_user(db, "official")
    _login(client, official)
    client.get("/imports?lang=en")
    content = "id,name,role,region\nE-page-1,页面企业,sme,成都市双流区\nE-page-2,坏企业,sme,火星市\n".encode()

    def post(action, **extra):
        token = _csrf(client, "/imports")
        data = {"kind": "enterprises", "action": action, "csrf_token": token,
                "file": (io.BytesIO(content), "firms.csv"), **extra}
        return client.post("/imports", data=data, content_type="multipart/form-data")

    preview = post("preview").get_data(as_text=True)
    assert "火星市" in preview and "2 rows, 1 valid, 1 rejected, 0 written" in preview.replace("\n", " ")
    assert enterprise_repo.count(db) == 0
    refused = post("import").get_data(as_text=True)
    assert "0 written" in refused and enterprise_repo.count(db) == 0
    post("import", mode="valid_rows")
    assert enterprise_repo.count(db) == 1
    missing = client.post("/imports", data={"kind": "supply", "csrf_token": _csrf(client, "/imports")})
    assert missing.status_code == 422 and "<b>File</b>: missing" in missing.get_data(as_text=True)


def test_official_creates_and_edits_an_enterprise_with_expiring_certificates(client, db):
    _login(client, gen_user(db, "official"))
    client.get("/enterprises?lang=en")
    token = _csrf(client, "/enterprises/new")
    bad = client.post("/enterprises/new", data={"id": "E-web-1", "name": "网页企业", "role": "sme",
                                                "region": "火星市", "csrf_token": token})
    assert bad.status_code == 422 and "<b>Region</b>" in bad.get_data(as_text=True)
    created = client.post("/enterprises/new", data={
        "id": "E-web-1", "name": "网页企业", "role": "sme", "region": "成都市温江区", "chains": "汽车",
        "certifications": "ISO9001@2020-01-01; IATF16949@2099-01-01", "csrf_token": token})
    assert created.status_code == 302
    page = client.get("/enterprises/E-web-1").get_data(as_text=True)
    assert "Wenjiang District" in page and "expired" in page and "IATF16949 (until 2099-01-01)" in page
    client.post("/enterprises/E-web-1/edit", data={"tier": "little_giant", "csrf_token": token})
    assert "National little giant" in client.get("/enterprises?q=网页&lang=en").get_data(as_text=True)


def test_firms_cannot_open_the_enterprise_forms(client, db):
    _, user, _ = firm_with_token(db, "sme")
    _login(client, user)
    assert client.get("/enterprises/new").status_code == 403


# -- the edit page opens only for those who may save it ---------------------------------------

def _item(client, token: str, kind: str = "supply", **data) -> dict:
    path = "/api/v1/supply-items" if kind == "supply" else "/api/v1/demand-items"
    response = client.post(path, json={"name": "齿轮", **data}, headers=bearer(token))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["data"]


def test_edit_pages_open_only_for_those_who_may_save_them(client, db):
    _, _, sme_token = firm_with_token(db, "sme")
    _, _, leader_token = firm_with_token(db, "leader")
    items = {"supply": _item(client, sme_token, "supply"), "demand": _item(client, leader_token, "demand")}
    for kind, item in items.items():
        edit = f"/{kind}/{item['id']}/edit"
        signed_out = client.get(edit)  # sent to sign in, nothing of the form shown
        assert signed_out.status_code == 302
        assert signed_out.headers["Location"].endswith(f"/login?next=/{kind}/{item['id']}/edit")
    _, intruder, _ = firm_with_token(db, "sme")
    _login(client, intruder)
    for kind, item in items.items():
        page = client.get(f"/{kind}/{item['id']}/edit")
        body = page.get_data(as_text=True)
        assert page.status_code == 403 and "<h1>403</h1>" in body, body[:400]
        assert 'class="stack"' not in body and 'name="name"' not in body
    assert client.get("/demand/new").status_code == 403  # an SME adds no demand items
    assert client.get("/supply/new").status_code == 200


def test_editing_an_ended_item_keeps_it_ended_unless_the_owner_republishes_it(client, db):
    from graph import items as item_repo

    _, user, token = firm_with_token(db, "sme")
    item = _item(client, token, description="旧说明")
    client.delete(f"/api/v1/supply-items/{item['id']}", headers=bearer(token))
    _login(client, user)
    edit = f"/supply/{item['id']}/edit"
    form = client.get(edit).get_data(as_text=True)
    assert re.search(r'<option value="withdrawn" selected>已撤回：不在清单中显示</option>', form), form
    assert '<option value="published" >' in form  # offered, not chosen
    values = {"name": "齿轮", "description": "新说明", "status": "withdrawn", "csrf_token": _csrf(client, edit)}
    assert client.post(edit, data=values).status_code == 302  # what the browser sends unchanged
    stored = item_repo.get(db, "supply", item["id"])
    assert (stored["description"], stored["status"]) == ("新说明", "withdrawn")
    assert client.post(edit, data={**values, "status": "published"}).status_code == 302  # chosen on purpose
    assert item_repo.get(db, "supply", item["id"])["status"] == "published"
    new_form = client.get("/supply/new").get_data(as_text=True)
    assert 'value="withdrawn"' not in new_form and 'value="draft"' in new_form


def test_a_closed_demand_item_stays_closed_when_edited(client, db):
    from graph import items as item_repo

    _, user, token = firm_with_token(db, "leader")
    item = _item(client, token, "demand", quantity=10)
    client.delete(f"/api/v1/demand-items/{item['id']}", headers=bearer(token))
    _login(client, user)
    edit = f"/demand/{item['id']}/edit"
    form = client.get(f"{edit}?lang=en").get_data(as_text=True)
    assert '<option value="closed" selected>Closed: hidden from the lists</option>' in form
    assert 'value="withdrawn"' not in form
    client.post(edit, data={"name": "齿轮", "quantity": "20", "status": "closed", "csrf_token": _csrf(client, edit)})
    stored = item_repo.get(db, "demand", item["id"])
    assert (stored["quantity"], stored["status"]) == (20, "closed")


# -- errors in the page's language; the API keeps its English ----------------------------------

def test_form_errors_are_translated_with_labels_and_the_api_keeps_english_keys(client, db):
    _, user, token = firm_with_token(db, "leader")
    api = client.post("/api/v1/demand-items", json={"name": "轴承", "quantity": -3}, headers=bearer(token))
    assert api.status_code == 422
    assert api.get_json()["error"]["fields"] == {"quantity": ["must be a number from 0 to 1,000,000,000,000,000"]}
    _login(client, user)
    token = _csrf(client, "/demand/new")
    page = client.post("/demand/new", data={"quantity": "-3", "unit_price": "x", "deadline": "2030-13-01",
                                            "csrf_token": token}).get_data(as_text=True)
    # shape errors (required, not a number) and rule errors (range, a date that exists) in one answer
    for shown in ("部分字段填写有误", "<b>名称</b>：必填。", "<b>年需求量</b>：须为 0 到 1,000,000,000,000,000 之间的数字",
                  "<b>单价（元）</b>：不是有效的数字。", "<b>截止日期</b>：不是存在的日期：请按 YYYY-MM-DD 填写"):
        assert shown in page, shown
    client.get("/demand/new?lang=en")
    page = client.post("/demand/new", data={"quantity": "-3", "csrf_token": token}).get_data(as_text=True)
    assert "<b>Name</b>: Required." in page
    assert "<b>Annual quantity</b>: must be a number from 0 to 1,000,000,000,000,000" in page


def test_bad_list_filters_show_a_translated_error_page(client, db):
    page = client.get("/supply?per_page=1000")
    assert page.status_code == 422 and "部分筛选条件无效" in page.get_data(as_text=True)
    assert "须在 1 到 200 之间。" in page.get_data(as_text=True)


# -- counts, names and roles in the page's language -------------------------------------------

def test_counts_firm_names_and_roles_follow_the_language(client, db):
    from tests.helpers import gen_enterprise, gen_token

    named = gen_enterprise(db, "sme", name="成都精铸科技有限公司", name_en="Chengdu Precision Casting Co")
    unnamed = gen_enterprise(db, "sme", name="成都无英文名有限公司")
    user = gen_user(db, "sme", enterprise_id=named["id"])
    item = _item(client, gen_token(db, user), name="铝合金压铸件")
    _item(client, gen_token(db, gen_user(db, "sme", enterprise_id=unnamed["id"])), name="铝合金压铸壳体")

    en = client.get("/supply?q=铝合金压铸件&lang=en").get_data(as_text=True)
    assert "1 item<" in en and "1 items" not in en
    assert "Chengdu Precision Casting Co" in en and "成都精铸科技有限公司" not in en
    assert "2 items" in client.get("/supply?q=铝合金&lang=en").get_data(as_text=True)
    assert "成都无英文名有限公司" in client.get("/supply?q=铝合金&lang=en").get_data(as_text=True)  # no English name
    page = client.get(f"/supply/{item['id']}").get_data(as_text=True)
    assert "Chengdu Precision Casting Co" in page
    firm = client.get(f"/enterprises/{named['id']}").get_data(as_text=True)
    assert "<h1>Chengdu Precision Casting Co</h1>" in firm and "Specialised SME" in firm

    zh = client.get("/supply?q=铝合金压铸件&lang=zh").get_data(as_text=True)
    assert "共 1 条" in zh and "成都精铸科技有限公司" in zh and "Chengdu Precision" not in zh
    assert "成都精铸科技有限公司" in client.get(f"/supply/{item['id']}").get_data(as_text=True)
    assert "共 1 家企业" in client.get(f"/enterprises?q={named['name']}").get_data(as_text=True)

    _login(client, user)
    assert f"{user['email']} · 专精特新中小企业" in client.get("/account").get_data(as_text=True)
    assert f"{user['email']} · Specialised SME" in client.get("/account?lang=en").get_data(as_text=True)


def test_an_item_form_refuses_a_status_it_does_not_know(client, db):
    from graph import items as item_repo

    _, user, token = firm_with_token(db, "sme")
    item = _item(client, token, description="原说明")
    _login(client, user)
    edit = f"/supply/{item['id']}/edit"
    response = client.post(edit, data={"name": "齿轮", "description": "新说明", "status": "closed",
                                       "csrf_token": _csrf(client, edit)})
    assert response.status_code == 422 and "状态" in response.get_data(as_text=True)
    stored = item_repo.get(db, "supply", item["id"])
    assert (stored["description"], stored["status"], stored["version"]) == ("原说明", "published", 1)
