"""Enterprise contact details and credit code: stored by every path, shown to signed-in accounts only,
and the profile's invite action into the docking workflow."""
from __future__ import annotations

import io

from tests.helpers import bearer, firm_with_token, gen_token, gen_user, page_sign_in
from tests.matrix_helpers import csrf_of

USCC = "91110000802100433B"
CONTACTS = {"contact_person": "张三", "phone": "028-8888 6666 转 801", "email": "sales@example.cn",
            "website": "https://www.example.cn"}


def _official_token(db) -> str:
    return gen_token(db, gen_user(db, "official"))


def _create(client, token, firm_id=USCC, **fields):
    return client.post("/api/v1/enterprises", headers=bearer(token), json={
        "id": firm_id, "name": "成都精工传动有限公司", "role": "sme", "region": "510116", **fields})


def test_contacts_are_stored_and_shown_to_signed_in_callers_only(client, db):
    official = _official_token(db)
    created = _create(client, official, **CONTACTS)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["data"]["credit_code"] == USCC
    assert {k: created.get_json()["data"][k] for k in CONTACTS} == CONTACTS

    anonymous = client.get(f"/api/v1/enterprises/{USCC}").get_json()["data"]
    assert all(anonymous[k] is None for k in CONTACTS) and anonymous["credit_code"] == USCC
    _, _, sme_token = firm_with_token(db, "sme")
    signed_in = client.get(f"/api/v1/enterprises/{USCC}", headers=bearer(sme_token)).get_json()["data"]
    assert {k: signed_in[k] for k in CONTACTS} == CONTACTS

    anonymous_export = client.get("/api/v1/exports/enterprises?format=csv").get_data(as_text=True)
    assert "sales@example.cn" not in anonymous_export and USCC in anonymous_export
    assert "sales@example.cn" in client.get("/api/v1/exports/enterprises?format=csv",
                                            headers=bearer(sme_token)).get_data(as_text=True)


def test_an_id_that_is_not_a_credit_code_has_none(client, db):
    created = _create(client, _official_token(db), firm_id="E-contacts-1")
    assert created.status_code == 201 and created.get_json()["data"]["credit_code"] is None


def test_bad_contacts_are_refused_naming_each_field_and_nothing_is_stored(client, db):
    official = _official_token(db)
    refused = _create(client, official, phone="call me", website="javascript:alert(1)", email="nobody")
    assert refused.status_code == 422
    assert set(refused.get_json()["error"]["fields"]) == {"phone", "website", "email"}
    assert client.get(f"/api/v1/enterprises/{USCC}").status_code == 404


def test_an_import_with_chinese_contact_headers_stores_them(client, db):
    official = _official_token(db)
    body = ("统一社会信用代码,企业名称,角色,地区,联系人,联系电话,邮箱,官网\n"
            f"{USCC},成都精工传动有限公司,sme,成都市双流区,李四,13800138000,li@example.cn,http://jg.example.cn\n"
            "E-bad-phone,坏电话企业,sme,成都市双流区,王五,打电话,,\n").encode()
    answer = client.post("/api/v1/imports", headers=bearer(official), content_type="multipart/form-data",
                         data={"kind": "enterprises", "mode": "valid_rows",
                               "file": (io.BytesIO(body), "firms.csv")})
    report = answer.get_json()["data"]
    assert [(e["row"], e["column"]) for e in report["errors"]] == [(3, "phone")]
    stored = client.get(f"/api/v1/enterprises/{USCC}", headers=bearer(official)).get_json()["data"]
    assert (stored["contact_person"], stored["phone"], stored["website"]) == ("李四", "13800138000",
                                                                              "http://jg.example.cn")


def test_the_profile_page_hides_contacts_from_visitors_and_lets_a_leader_invite(client, db):
    official = _official_token(db)
    _create(client, official, **CONTACTS)
    visitor_page = client.get(f"/enterprises/{USCC}?lang=zh").get_data(as_text=True)
    assert "028-8888 6666" not in visitor_page and "后可查看联系人" in visitor_page
    assert "统一社会信用代码" in visitor_page

    leader_firm, leader, leader_token = firm_with_token(db, "leader")
    demand = client.post("/api/v1/demand-items", headers=bearer(leader_token),
                         json={"name": "精密减速器", "quantity": 100, "unit": "台"}).get_json()["data"]
    page_sign_in(client, leader)
    page = client.get(f"/enterprises/{USCC}?lang=zh").get_data(as_text=True)
    assert "028-8888 6666" in page and 'href="https://www.example.cn"' in page
    assert "邀请该供应商对接您的一项需求" in page and demand["id"] in page
    invited = client.post("/engagements/invite", data={"demand_item_id": demand["id"], "supplier_id": USCC,
                                                       "csrf_token": csrf_of(client, f"/enterprises/{USCC}")})
    assert invited.status_code == 302
    engagements = client.get("/api/v1/engagements", headers=bearer(leader_token)).get_json()["data"]
    assert [(e["demand_id"], e["supplier_id"]) for e in engagements] == [(demand["id"], USCC)]
    # The leader's own profile offers no invitation to itself.
    assert "邀请该供应商" not in client.get(f"/enterprises/{leader_firm['id']}").get_data(as_text=True)


def test_the_enterprise_form_shows_labels_ticks_chains_and_names_bad_contacts(client, db):
    page_sign_in(client, gen_user(db, "official"))
    form = client.get("/enterprises/new?lang=zh").get_data(as_text=True)
    assert ">专精特新中小企业<" in form or ">中小企业<" in form  # roles by their labels, not `sme`
    assert 'type="checkbox" name="chains" value="nev"' in form
    token = csrf_of(client, "/enterprises/new")
    bad = client.post("/enterprises/new", data={"id": USCC, "name": "网页企业", "role": "sme", "region": "成都市温江区",
                                                "chains": ["nev", "rail"], "website": "www.example.cn",
                                                "csrf_token": token})
    assert bad.status_code == 422 and "不是有效的网址" in bad.get_data(as_text=True)
    assert 'value="rail" checked' in bad.get_data(as_text=True)  # the ticks survive the error
    made = client.post("/enterprises/new", data={"id": USCC, "name": "网页企业", "role": "sme", "region": "成都市温江区",
                                                 "chains": ["nev", "rail"], "phone": "028-8888 6666",
                                                 "csrf_token": token})
    assert made.status_code == 302
    firm = client.get(f"/api/v1/enterprises/{USCC}").get_json()["data"]
    assert sorted(firm["chain_ids"]) == ["nev", "rail"]
    client.post(f"/enterprises/{USCC}/edit", data={"name": "网页企业", "role": "sme", "region": "成都市温江区",
                                                   "chains": ["rail"], "csrf_token": token})
    assert client.get(f"/api/v1/enterprises/{USCC}").get_json()["data"]["chain_ids"] == ["rail"]
    profile = client.get(f"/enterprises/{USCC}?lang=zh").get_data(as_text=True)
    assert 'href="/chains/rail"' in profile
