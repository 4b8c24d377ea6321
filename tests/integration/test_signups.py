"""A firm's sign-up and the official's decision: link a firm of the directory (picked or searched),
create the firm the sign-up describes, or decline with a reason; the person is told."""
from __future__ import annotations

from graph import users as user_repo
from matchmaker.services import accounts
from tests.helpers import bearer, gen_enterprise, gen_token, gen_user, page_sign_in
from tests.matrix_helpers import csrf_of

USCC = "91350100M000100Y43"


def _sign_up(client, **fields):
    form = {"email": "boss@jingong.example.cn", "password": "long-enough-1", "role": "sme",
            "name": "成都精工传动有限公司", "csrf_token": csrf_of(client, "/signup"), **fields}
    return client.post("/signup?lang=zh", data=form)


def _pending_user(db, email="boss@jingong.example.cn") -> dict:
    return next(u for u in accounts.pending(db) if u["email"] == email)


def test_a_new_firm_signs_up_with_its_credit_code_and_the_official_creates_it(client, db):
    assert _sign_up(client, enterprise_id=USCC, region="成都市双流区").status_code == 302
    user = _pending_user(db)
    assert (user["claimed_enterprise_id"], user["claimed_region"]) == (USCC, "510116")
    official = gen_user(db, "official")
    page_sign_in(client, official)
    page = client.get("/accounts/pending?lang=zh").get_data(as_text=True)
    assert "按注册信息新建企业：成都精工传动有限公司，91350100M000100Y43" in page and "信用代码有效" in page
    approved = client.post(f"/accounts/{user['id']}/approve",
                           data={"pick": "create", "csrf_token": csrf_of(client, "/accounts/pending")})
    assert approved.status_code == 302
    firm = client.get(f"/api/v1/enterprises/{USCC}").get_json()["data"]
    assert (firm["name"], firm["role"], firm["region_code"], firm["local"]) == ("成都精工传动有限公司", "sme",
                                                                               "510116", True)
    account = user_repo.get(db, user["id"])
    assert account["active"] and account["enterprise_id"] == USCC
    token = gen_token(db, {**account})
    notes = client.get("/api/v1/notifications", headers=bearer(token)).get_json()["data"]
    assert [n["title"] for n in notes] == ["Your account was approved and linked to 成都精工传动有限公司"]


def test_the_official_links_a_firm_found_by_the_picker(client, db):
    firm = gen_enterprise(db, "sme", name="成都恒远精密机械有限公司")
    _sign_up(client, name="恒远精密")
    user = _pending_user(db)
    page_sign_in(client, gen_user(db, "official"))
    found = client.get(f"/accounts/pending?for={user['id']}&q=恒远").get_data(as_text=True)
    assert f'value="link:{firm["id"]}"' in found
    client.post(f"/accounts/{user['id']}/approve",
                data={"pick": f"link:{firm['id']}", "csrf_token": csrf_of(client, "/accounts/pending")})
    assert user_repo.get(db, user["id"])["enterprise_id"] == firm["id"]


def test_the_firm_a_sign_up_names_is_offered_first_and_creating_it_again_is_refused(client, db):
    firm = gen_enterprise(db, "sme")
    _sign_up(client, enterprise_id=firm["id"])
    user = _pending_user(db)
    page_sign_in(client, gen_user(db, "official"))
    page = client.get("/accounts/pending").get_data(as_text=True)
    assert f'value="link:{firm["id"]}">' in page and 'value="create"' not in page  # offered, never pre-chosen
    official_token = gen_token(db, gen_user(db, "official"))
    refused = client.post(f"/api/v1/users/{user['id']}/approve", headers=bearer(official_token),
                          json={"create_enterprise": True})
    assert refused.status_code == 422 and "enterprise_id" in refused.get_json()["error"]["fields"]
    assert not user_repo.get(db, user["id"])["active"]


def test_a_declined_sign_up_leaves_the_queue_and_signing_in_says_why(client, db):
    _sign_up(client, enterprise_id=USCC, region="510116")
    user = _pending_user(db)
    page_sign_in(client, gen_user(db, "official"))
    client.post(f"/accounts/{user['id']}/reject", data={"reason": "not_a_member",
                                                        "csrf_token": csrf_of(client, "/accounts/pending")})
    assert user["email"] not in client.get("/accounts/pending").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_of(client, "/accounts/pending")})
    answer = client.post("/login?lang=zh", data={"email": user["email"], "password": "long-enough-1",
                                                 "csrf_token": csrf_of(client, "/login?lang=zh")})
    assert answer.status_code == 403 and "无法确认您任职于该企业" in answer.get_data(as_text=True)
    # Decided once: approving or declining again is refused, and nothing was created.
    token = gen_token(db, gen_user(db, "official"))
    again = client.post(f"/api/v1/users/{user['id']}/approve", headers=bearer(token), json={"create_enterprise": True})
    assert again.status_code == 409
    assert client.get(f"/api/v1/enterprises/{USCC}").status_code == 404


def test_declining_needs_a_known_reason_and_other_needs_a_note(client, db):
    _sign_up(client)
    user = _pending_user(db)
    token = gen_token(db, gen_user(db, "official"))
    for body, field in (({"reason": "bored"}, "reason"), ({"reason": "other"}, "note")):
        refused = client.post(f"/api/v1/users/{user['id']}/reject", headers=bearer(token), json=body)
        assert refused.status_code == 422 and field in refused.get_json()["error"]["fields"], refused.get_json()
    assert user_repo.get(db, user["id"])["rejected_at"] is None
    done = client.post(f"/api/v1/users/{user['id']}/reject", headers=bearer(token),
                       json={"reason": "other", "note": "请先完成企业入库"})
    assert done.status_code == 200 and done.get_json()["data"]["rejected_reason"] == "other"


def test_a_mistyped_credit_code_or_unknown_region_is_named_and_nothing_is_stored(client, db):
    typo = _sign_up(client, enterprise_id="91350100M000100Y44", region="火星市")
    page = typo.get_data(as_text=True)
    assert typo.status_code == 422 and "最后一位是校验码" in page and "找不到该地区" in page
    api = client.post("/api/v1/auth/signup", json={"email": "x@example.cn", "password": "long-enough-1",
                                                   "role": "sme", "name": "某公司", "enterprise_id": "91350100M000100Y44"})
    assert api.status_code == 422 and set(api.get_json()["error"]["fields"]) == {"enterprise_id"}
    assert accounts.pending(db) == []


def test_deactivated_accounts_are_not_waiting_for_approval(db):
    firm = gen_enterprise(db, "sme")
    user = gen_user(db, "sme", firm["id"])
    accounts.deactivate(db, user["id"])
    assert accounts.pending(db) == []


def test_a_bad_picker_search_is_named_and_nothing_changes(client, db):
    _sign_up(client)
    page_sign_in(client, gen_user(db, "official"))
    refused = client.get("/accounts/pending?lang=zh&q=" + "长" * 101)
    assert refused.status_code == 422 and "q" in refused.get_data(as_text=True)
    assert [u["email"] for u in accounts.pending(db)] == ["boss@jingong.example.cn"]
