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
    assert response.status_code == 401 and "wrong email or password" in response.get_data(as_text=True)
    assert client.get("/account").status_code == 302  # still signed out: sent to the login page


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
    assert "no enterprise with id" in bad.get_data(as_text=True)
    client.post(f"/accounts/{user_id}/approve", data={"enterprise_id": enterprise["id"], "csrf_token": token})
    assert "new.sme@example.cn" not in client.get("/accounts/pending").get_data(as_text=True)


def test_signup_with_bad_fields_names_them(client, db):
    token = _csrf(client, "/signup")
    response = client.post("/signup", data={"email": "not-an-email", "password": "short", "role": "king",
                                            "name": "", "csrf_token": token})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert all(f"<b>{field}</b>" in page for field in ("email", "password", "role", "name"))


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
    assert bad.status_code == 422 and "<b>capacity</b>" in bad.get_data(as_text=True)
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
    assert missing.status_code == 422 and "<b>file</b>" in missing.get_data(as_text=True)


def test_official_creates_and_edits_an_enterprise_with_expiring_certificates(client, db):
    _login(client, gen_user(db, "official"))
    client.get("/enterprises?lang=en")
    token = _csrf(client, "/enterprises/new")
    bad = client.post("/enterprises/new", data={"id": "E-web-1", "name": "网页企业", "role": "sme",
                                                "region": "火星市", "csrf_token": token})
    assert bad.status_code == 422 and "<b>region</b>" in bad.get_data(as_text=True)
    created = client.post("/enterprises/new", data={
        "id": "E-web-1", "name": "网页企业", "role": "sme", "region": "成都市温江区", "chains": "汽车",
        "certifications": "ISO9001@2020-01-01; IATF16949@2099-01-01", "csrf_token": token})
    assert created.status_code == 302
    page = client.get("/enterprises/E-web-1").get_data(as_text=True)
    assert "Wenjiang District" in page and "expired" in page and "IATF16949 (until 2099-01-01)" in page
    client.post("/enterprises/E-web-1/edit", data={"tier": "little_giant", "csrf_token": token})
    assert "little_giant" in client.get("/enterprises?q=网页").get_data(as_text=True)


def test_firms_cannot_open_the_enterprise_forms(client, db):
    _, user, _ = firm_with_token(db, "sme")
    _login(client, user)
    assert client.get("/enterprises/new").status_code == 403
