"""Input hygiene, tried as an attacker would: text that cannot be stored, JSON nested 100,000 deep,
control and bidi characters, huge lists, open redirects after sign-in, and sign-up claims."""
from __future__ import annotations

import csv
import io
import re

import pytest

from graph import items as item_repo
from graph import users as user_repo
from matchmaker.rules import text, values
from tests.helpers import bearer, firm_with_token, gen_enterprise, gen_token, gen_user, uid
from tests.matrix_helpers import CSRF

SURROGATE_BODY = '{"email": "a@example.cn", "password": "long-enough-pw", "role": "sme", "name": "\\ud800x"}'


def _post_raw(client, path, body: str, token=None):
    headers = {"Content-Type": "application/json", **(bearer(token) if token else {})}
    return client.post(f"/api/v1{path}", data=body.encode(), headers=headers)


def test_lone_surrogates_are_a_422_naming_the_field_on_every_write(client, db):
    enterprise, _, token = firm_with_token(db, "sme")
    official = gen_token(db, gen_user(db, "official"))
    cases = [
        ("/supply-items", '{"name": "\\ud800x"}', token, "name"),
        ("/supply-items", '{"name": "ok", "certifications": ["\\udfffA"]}', token, "certifications"),
        ("/enterprises", '{"id": "\\ud800", "name": "x", "role": "sme", "region": "510116"}', official, "id"),
        ("/auth/signup", SURROGATE_BODY, None, "name"),
        ("/auth/token", '{"email": "\\ud800@example.cn", "password": "x"}', None, "email"),
    ]
    for path, body, auth, field in cases:
        response = _post_raw(client, path, body, auth)
        assert response.status_code == 422, (path, response.get_data(as_text=True)[:300])
        assert response.get_json()["error"]["fields"] == {field: [text.UNSTORABLE]}
    assert client.get("/api/v1/supply-items", query_string={"enterprise": enterprise["id"]}).get_json()["total"] == 0


JSON_WRITES = [("POST", "/auth/token"), ("POST", "/auth/signup"), ("POST", "/enterprises"),
               ("PATCH", "/enterprises/E-x"), ("POST", "/supply-items"), ("PATCH", "/supply-items/S-x"),
               ("POST", "/demand-items"), ("PATCH", "/demand-items/D-x"), ("POST", "/users/u-x/approve"), ("POST", "/users/u-x/reject"),
               ("POST", "/editions"), ("POST", "/notifications/read"), ("PATCH", "/account"),
               ("POST", "/demand-items/D-x/matches/E-x/feedback"), ("POST", "/category-suggestions/S-x/S-x"),
               ("POST", "/engagements"), ("PATCH", "/engagements/G-x"), ("POST", "/rounds"), ("PATCH", "/rounds/R-x"),
               ("POST", "/rounds/R-x/pairs"), ("PATCH", "/rounds/R-x/pairs/RP-x"), ("POST", "/plans")]


@pytest.mark.parametrize(("method", "path"), JSON_WRITES)
def test_json_nested_100000_deep_is_a_400_not_a_500(client, db, method, path):
    admin = gen_token(db, gen_user(db, "admin"))
    for body in ("[" * 100_000, '{"name": ' + "[" * 50 + "]" * 50 + "}"):
        response = client.open(f"/api/v1{path}", method=method, data=body, headers={
            "Content-Type": "application/json", **bearer(admin)})
        assert response.status_code == 400, response.get_data(as_text=True)[:200]
        assert response.get_json()["error"] == {"code": "bad_request", "message": "the JSON body is nested too deeply",
                                                "fields": {"body": ["the JSON body is nested too deeply"]}}


def test_every_json_write_of_the_api_is_covered(app):
    from matchmaker.api.openapi import OPERATIONS
    bodies = {key for key, op in OPERATIONS.items() if op.body is not None}
    covered = {f"{m} {re.sub(r'/[A-Z]+-x|/u-x', '/<x>', p)}" for m, p in JSON_WRITES}
    assert {re.sub(r"<\w+>", "<x>", key) for key in bodies} == covered


def test_nul_is_refused_in_the_api_and_forms_and_a_nul_file_is_refused(app, client, db):
    enterprise, user, token = firm_with_token(db, "sme")
    response = client.post("/api/v1/supply-items", json={"name": "齿轮\x00"}, headers=bearer(token))
    assert response.get_json()["error"]["fields"] == {"name": [text.CONTROL]}
    web = app.test_client()
    web.get("/login?lang=en")
    csrf = CSRF.search(web.get("/login").get_data(as_text=True)).group(1)
    web.post("/login", data={"email": user["email"], "password": user["password"], "csrf_token": csrf})
    csrf = CSRF.search(web.get("/supply/new").get_data(as_text=True)).group(1)
    page = web.post("/supply/new", data={"name": "齿轮\x00", "csrf_token": csrf})
    assert page.status_code == 422 and text.CONTROL in page.get_data(as_text=True)
    content = f"id,enterprise_id,name\nS-nul,{enterprise['id']},齿轮\x00\n".encode()
    imported = client.post("/api/v1/imports", headers=bearer(token), content_type="multipart/form-data",
                           data={"kind": "supply", "file": (io.BytesIO(content), "supply.csv")})
    assert imported.status_code == 422 and "file" in imported.get_json()["error"]["fields"]
    assert item_repo.get(db, "supply", "S-nul") is None


def test_the_public_csv_export_imports_again_unchanged(client, db):
    enterprise, _, token = firm_with_token(db, "sme")
    for name, description in [("=SUM(A1)", "多行\n说明，带 \"引号\" 和 ; 分号"), ("Cafe\u0301 齿轮", "\t缩进")]:
        response = client.post("/api/v1/supply-items", headers=bearer(token),
                               json={"name": name, "description": description, "certifications": ["ISO9001"]})
        assert response.status_code == 201, response.get_json()
    assert {i["name"] for i in client.get("/api/v1/supply-items", query_string={
        "enterprise": enterprise["id"]}).get_json()["data"]} == {"=SUM(A1)", "Café 齿轮"}  # NFC
    exported = client.get("/api/v1/exports/supply").data
    rows = list(csv.DictReader(io.StringIO(exported.decode("utf-8-sig"))))
    assert len(rows) == 2
    again = client.post("/api/v1/imports", headers=bearer(token), content_type="multipart/form-data",
                        data={"kind": "supply", "dry_run": "true", "file": (io.BytesIO(exported), "supply.csv")})
    assert again.status_code == 200 and again.get_json()["data"]["errors"] == []
    assert again.get_json()["data"]["accepted"] == 2


def test_a_certification_list_of_200000_entries_is_refused(client, db):
    _, _, token = firm_with_token(db, "sme")
    response = client.post("/api/v1/supply-items", headers=bearer(token),
                           json={"name": "齿轮", "certifications": ["ISO9001"] * 200_000})
    assert response.get_json()["error"]["fields"] == {"certifications": [values.TOO_MANY_CERTIFICATIONS]}


def _sign_in(client, user, next_param: str):
    csrf = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    return client.post(f"/login?next={next_param}", data={"email": user["email"], "password": user["password"],
                                                         "csrf_token": csrf})


@pytest.mark.parametrize("next_param", ["/%09/evil.example/phish", "/%0D/evil.example", "//evil.example",
                                        "/%5Cevil.example", "https://evil.example/", "/%0A/evil.example"])
def test_sign_in_never_redirects_off_site(app, db, next_param):
    response = _sign_in(app.test_client(), gen_user(db, "official"), next_param)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_sign_in_returns_to_a_local_page(app, db):
    response = _sign_in(app.test_client(), gen_user(db, "official"), "/supply%3Fpage%3D2")
    assert response.status_code == 302 and response.headers["Location"] == "/supply?page=2"


def test_a_sign_up_naming_a_firm_is_only_an_unverified_claim(app, client, db):
    victim = gen_enterprise(db, role="sme")
    email = f"{uid('claim').lower()}@example.cn"
    response = client.post("/api/v1/auth/signup", json={"email": email, "password": "long-enough-pw", "role": "sme",
                                                        "name": "冒名者", "enterprise_id": victim["id"]})
    assert response.status_code == 201
    data = response.get_json()["data"]
    assert data["enterprise_id"] is None and data["claimed_enterprise_id"] == victim["id"]
    stored = user_repo.get_by_email(db, email)
    assert stored["enterprise_id"] is None and stored["claimed_enterprise_id"] == victim["id"]
    official = gen_user(db, "official")
    web = app.test_client()
    web.get("/login?lang=en")
    csrf = CSRF.search(web.get("/login").get_data(as_text=True)).group(1)
    web.post("/login", data={"email": official["email"], "password": official["password"], "csrf_token": csrf})
    page = web.get("/accounts/pending").get_data(as_text=True)
    row = page[page.index(email):]
    row = row[:row.index("</section>")]
    assert victim["id"] in row and "Unverified" in row
    assert "checked" not in row and 'name="enterprise_id" value=' not in row  # nothing chosen: one click links nobody
    csrf = CSRF.search(page).group(1)
    web.post(f"/accounts/{stored['id']}/approve", data={"csrf_token": csrf})  # approve without typing an id
    after = user_repo.get(db, stored["id"])
    assert after["active"] is False and after["enterprise_id"] is None


def test_undecodable_form_bytes_and_control_characters_on_sign_up_and_sign_in_pages(app, db):
    web = app.test_client()
    web.get("/signup?lang=en")
    csrf = CSRF.search(web.get("/signup").get_data(as_text=True)).group(1)
    body = (f"csrf_token={csrf}&email=a%40example.cn&password=long-enough-pw&role=sme&name=%ED%A0%80x").encode()
    response = web.post("/signup", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (302, 422)  # werkzeug replaces the bytes; never a 500 from the driver
    response = web.post("/signup", data={"csrf_token": csrf, "email": "b@example.cn", "password": "long-enough-pw",
                                         "role": "sme", "name": "甲\x00乙"})
    assert response.status_code == 422 and text.CONTROL in response.get_data(as_text=True)
    assert user_repo.get_by_email(db, "b@example.cn") is None
    response = web.post("/login", data={"csrf_token": csrf, "email": "b\x00@example.cn", "password": "x"})
    assert response.status_code == 422
