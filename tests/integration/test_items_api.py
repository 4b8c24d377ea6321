"""Supply and demand items through the API, with tokens, on the real graph server."""
from __future__ import annotations

from tests.helpers import bearer, firm_with_token, gen_token, gen_user


def _supply(client, token, **fields):
    body = {"name": "铝合金压铸壳体", "description": "高压铸造 A380 铝合金, 新能源汽车电驱壳体",
            "capacity": 50000, "unit": "件", "certifications": ["IATF16949@2030-01-01"], **fields}
    return client.post("/api/v1/supply-items", json=body, headers=bearer(token))


def test_sme_publishes_and_edits_its_supply_item(client, db):
    sme, _, token = firm_with_token(db, "sme")
    created = _supply(client, token)
    assert created.status_code == 201, created.get_json()
    item = created.get_json()["data"]
    assert item["enterprise_id"] == sme["id"] and item["local"] is True
    assert item["category_id"].startswith("nev.")  # proposed from the text
    assert item["category_proposed"] is True

    patched = client.patch(f"/api/v1/supply-items/{item['id']}", json={"capacity": 60000},
                           headers=bearer(token))
    assert patched.status_code == 200 and patched.get_json()["data"]["capacity"] == 60000
    assert patched.get_json()["data"]["version"] == 2
    history = client.get(f"/api/v1/supply-items/{item['id']}/history", headers=bearer(token)).get_json()
    assert [h["action"] for h in history["data"]] == ["update", "create"]


def test_leader_demand_value_is_quantity_times_price(client, db):
    _, _, token = firm_with_token(db, "leader")
    response = client.post("/api/v1/demand-items", headers=bearer(token), json={
        "name": "车身线束", "quantity": 100000, "unit_price": 500, "category": "nev.electrical-parts",
        "current_supplier_region": "上海市嘉定区", "deadline": "2027-06-30"})
    assert response.status_code == 201, response.get_json()
    item = response.get_json()["data"]
    assert item["value"] == 50_000_000 and item["category_proposed"] is False
    assert item["current_supplier_region"] == "310114" and item["deadline"] == "2027-06-30"


def test_another_firms_token_cannot_edit_and_nothing_changes(client, db):
    _, _, owner_token = firm_with_token(db, "sme")
    _, _, other_token = firm_with_token(db, "sme")
    item = _supply(client, owner_token).get_json()["data"]
    refused = client.patch(f"/api/v1/supply-items/{item['id']}", json={"name": "hijacked"},
                           headers=bearer(other_token))
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "forbidden"
    ended = client.delete(f"/api/v1/supply-items/{item['id']}", headers=bearer(other_token))
    assert ended.status_code == 403
    after = client.get(f"/api/v1/supply-items/{item['id']}").get_json()["data"]
    assert after["name"] == item["name"] and after["version"] == 1 and after["status"] == "published"


def test_bad_fields_get_422_with_per_field_messages(client, db):
    _, _, token = firm_with_token(db, "sme")
    response = _supply(client, token, capacity=-5, status="gone", colour="red")
    assert response.status_code == 422  # shape (an unknown field) and rules (matchmaker.rules) in one answer
    assert response.get_json()["error"]["fields"] == {
        "capacity": ["must be a number from 0 to 1,000,000,000,000,000"],
        "status": ["use published, draft or withdrawn"], "colour": ["Unknown field."]}


def test_unresolvable_region_names_the_field(client, db):
    _, _, token = firm_with_token(db, "leader")
    response = client.post("/api/v1/demand-items", headers=bearer(token),
                           json={"name": "轴承", "current_supplier_region": "火星市"})
    assert response.status_code == 422
    assert "current_supplier_region" in response.get_json()["error"]["fields"]


def test_withdrawn_and_draft_items_are_hidden_from_others(client, db):
    _, _, token = firm_with_token(db, "sme")
    draft = _supply(client, token, status="draft").get_json()["data"]
    assert client.get(f"/api/v1/supply-items/{draft['id']}").status_code == 404
    assert client.get(f"/api/v1/supply-items/{draft['id']}", headers=bearer(token)).status_code == 200
    published = _supply(client, token).get_json()["data"]
    ended = client.delete(f"/api/v1/supply-items/{published['id']}", headers=bearer(token))
    assert ended.get_json()["data"]["status"] == "withdrawn"
    listed = client.get("/api/v1/supply-items").get_json()
    assert published["id"] not in {i["id"] for i in listed["data"]}


def test_list_filters_and_chinese_text_query(client, db):
    _, _, local_token = firm_with_token(db, "sme", region="成都市郫都区")
    _, _, remote_token = firm_with_token(db, "sme", region="江苏省盐城市大丰区")
    a = _supply(client, local_token, name="铝合金压铸壳体", category="nev.lightweight-castings").get_json()["data"]
    b = _supply(client, remote_token, name="电驱动壳体 压铸", description="钢制", category="nev.lightweight-castings").get_json()["data"]
    _supply(client, local_token, name="轨道车辆制动盘", description="高速列车 制动", category="rail.brakes")

    def ids(**params):
        body = client.get("/api/v1/supply-items", query_string=params).get_json()
        return {i["id"] for i in body["data"]}, body["total"]

    assert ids(q="压铸")[0] == {a["id"], b["id"]}
    assert ids(q="压铸", local="true")[0] == {a["id"]}
    assert ids(category="nev.lightweight-castings", local="false")[0] == {b["id"]}
    assert ids(certification="iatf16949", chain="nev")[1] == 2
    assert ids(q="压铸 壳体 铝合金")[0] == {a["id"]}
    page = client.get("/api/v1/supply-items", query_string={"per_page": 1, "sort": "name"}).get_json()
    assert page["total"] == 3 and page["pages"] == 3 and len(page["data"]) == 1


def test_bad_list_parameters_are_named(client):
    response = client.get("/api/v1/supply-items", query_string={"per_page": 0, "sort": "price", "x": 1})
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"per_page", "sort", "x"}


def test_expired_certificate_does_not_count(client, db):
    _, _, token = firm_with_token(db, "sme")
    _supply(client, token, certifications=["AS9100D@2020-01-01"])
    assert client.get("/api/v1/supply-items", query_string={"certification": "AS9100D"}).get_json()["total"] == 0


def test_revoked_token_is_refused(client, db):
    user = gen_user(db, "official")
    token = gen_token(db, user)
    tokens = client.get("/api/v1/auth/tokens", headers=bearer(token)).get_json()["data"]
    assert client.delete(f"/api/v1/auth/tokens/{tokens[0]['id']}", headers=bearer(token)).status_code == 200
    response = client.get("/api/v1/auth/tokens", headers=bearer(token))
    assert response.status_code == 401


def test_token_endpoint_and_throttle(client, db):
    user = gen_user(db, "official")
    ok = client.post("/api/v1/auth/token", json={"email": user["email"], "password": user["password"]})
    assert ok.status_code == 201 and ok.get_json()["data"]["token"]
    for _ in range(5):
        bad = client.post("/api/v1/auth/token", json={"email": user["email"], "password": "wrong-pass!"})
        assert bad.status_code == 401
    locked = client.post("/api/v1/auth/token", json={"email": user["email"], "password": user["password"]})
    assert locked.status_code == 429


def test_enterprise_api_bad_fields_change_nothing(client, db):
    from graph import enterprises as enterprise_repo
    from tests.helpers import gen_enterprise

    token = gen_token(db, gen_user(db, "official"))
    bad = client.post("/api/v1/enterprises", headers=bearer(token),
                      json={"id": "E-api-1", "name": "", "role": "boss", "region": "火星市"})
    assert bad.status_code == 422 and {"name", "role"} <= set(bad.get_json()["error"]["fields"])
    unknown_region = client.post("/api/v1/enterprises", headers=bearer(token),
                                 json={"id": "E-api-1", "name": "企业", "role": "sme", "region": "火星市"})
    assert unknown_region.status_code == 422 and "region" in unknown_region.get_json()["error"]["fields"]
    assert enterprise_repo.get(db, "E-api-1") is None
    firm = gen_enterprise(db)
    patch = client.patch(f"/api/v1/enterprises/{firm['id']}", headers=bearer(token),
                         json={"annual_procurement": -1, "certifications": ["ISO9001@tomorrow"]})
    assert patch.status_code == 422
    assert set(patch.get_json()["error"]["fields"]) == {"annual_procurement", "certifications"}
    assert enterprise_repo.get(db, firm["id"])["version"] == firm["version"]
