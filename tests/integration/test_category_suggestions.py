"""Proposed categories on the real graph server: stored after imports and item writes, shown with
the item, reviewed by officials through the API and the page, and learnt from."""
from __future__ import annotations

import re

import pytest

from graph import category_suggestions as suggestion_repo
from graph import items as item_repo
from matchmaker.matching import category_model
from matchmaker.services.imports import import_file
from tests.helpers import HOME, bearer, firm_with_token, gen_enterprise, gen_token, gen_user, uid

MAGNET_TEXT = "烧结钕铁硼磁钢 N52 牌号，用于伺服电机转子"


@pytest.fixture(autouse=True)
def fresh_model(db):
    """Reviews of one test must not teach the process's classifier of the next."""
    category_model.invalidate(db)
    yield
    category_model.invalidate(db)


@pytest.fixture
def official(db):
    return gen_token(db, gen_user(db, "official"))


def _import_supply(db, rows: list[tuple[str, str]], firm: str) -> list[str]:
    ids = [uid("S") for _ in rows]
    lines = ["id,enterprise_id,name,description"] + [f"{i},{firm},{n},{d}" for i, (n, d) in zip(ids, rows)]
    report = import_file(db, "supply", ("\n".join(lines) + "\n").encode(), "supply.csv", home_region=HOME)
    assert report.applied, report.as_dict()
    return ids


def test_an_import_without_categories_stores_three_ranked_proposals(client, db):
    firm = gen_enterprise(db, "sme")["id"]
    [item_id] = _import_supply(db, [("Plug-top ignition coil", "for GDI engines, secondary voltage 38 kV")], firm)
    stored = suggestion_repo.of_item(db, "supply", item_id)
    assert [s["rank"] for s in stored] == [1, 2, 3] and {s["status"] for s in stored} == {"proposed"}
    assert 0 < sum(s["confidence"] for s in stored) <= 1
    item = client.get(f"/api/v1/supply-items/{item_id}").get_json()["data"]
    assert item["category_id"] == stored[0]["category_id"] == "nev.electrical-parts"
    assert item["category_confidence"] == stored[0]["confidence"]
    assert [s["category_id"] for s in item["category_suggestions"]] == [s["category_id"] for s in stored]


def test_an_item_with_a_category_gets_no_proposals(client, db):
    _, _, token = firm_with_token(db, "sme")
    body = {"name": "点火线圈", "category": "nev.electrical-parts", "capacity": 10}
    item = client.post("/api/v1/supply-items", json=body, headers=bearer(token)).get_json()["data"]
    assert suggestion_repo.of_item(db, "supply", item["id"]) == []
    shown = client.get(f"/api/v1/supply-items/{item['id']}").get_json()["data"]
    assert shown["category_confidence"] is None and shown["category_suggestions"] == []


def test_the_queue_puts_the_least_confident_first_and_filters_by_chain(client, db, official):
    firm = gen_enterprise(db, "sme")["id"]
    _import_supply(db, [("点火线圈", "笔式点火线圈 ignition coil 汽车电子"), ("模块", "通用"),
                        ("单晶硅片", "N型单晶硅片 182mm 光伏")], firm)
    rows = client.get("/api/v1/category-suggestions", headers=bearer(official)).get_json()["data"]
    tops = [r["suggestions"][0]["confidence"] for r in rows]
    assert len(rows) >= 2 and tops == sorted(tops)
    nev = client.get("/api/v1/category-suggestions?chain=nev", headers=bearer(official)).get_json()["data"]
    assert nev and {r["chain_id"] for r in nev} == {"nev"}


@pytest.mark.parametrize("role, status", [("sme", 403), ("leader", 403)])
def test_only_officials_and_admins_review(client, db, role, status):
    firm = gen_enterprise(db, "sme")["id"]
    [item_id] = _import_supply(db, [("点火线圈", "ignition coil")], firm)
    _, _, token = firm_with_token(db, role)
    assert client.get("/api/v1/category-suggestions", headers=bearer(token)).status_code == status
    before = item_repo.get(db, "supply", item_id)
    response = client.post(f"/api/v1/category-suggestions/supply/{item_id}", json={"category_id": "pv.wafer"},
                           headers=bearer(token))
    assert response.status_code == status and item_repo.get(db, "supply", item_id) == before
    assert client.get("/api/v1/category-suggestions").status_code == 401


def test_a_bad_category_or_kind_changes_nothing(client, db, official):
    firm = gen_enterprise(db, "sme")["id"]
    [item_id] = _import_supply(db, [("点火线圈", "ignition coil")], firm)
    before = item_repo.get(db, "supply", item_id)
    bad = client.post(f"/api/v1/category-suggestions/supply/{item_id}", json={"category_id": "nev.nothing"},
                      headers=bearer(official))
    assert bad.status_code == 422 and "category_id" in bad.get_json()["error"]["fields"]
    assert client.post(f"/api/v1/category-suggestions/widgets/{item_id}", json={"category_id": "pv.wafer"},
                       headers=bearer(official)).status_code == 404
    assert item_repo.get(db, "supply", item_id) == before
    assert {s["status"] for s in suggestion_repo.of_item(db, "supply", item_id)} == {"proposed"}


def test_confirming_keeps_the_proposal_and_ends_the_review(client, db, official):
    firm = gen_enterprise(db, "sme")["id"]
    [item_id] = _import_supply(db, [("点火线圈", "笔式点火线圈 ignition coil")], firm)
    proposed = item_repo.get(db, "supply", item_id)["category_id"]
    response = client.post(f"/api/v1/category-suggestions/supply/{item_id}", json={"category_id": proposed},
                           headers=bearer(official))
    assert response.status_code == 200, response.get_json()
    item = response.get_json()["data"]
    assert item["category_id"] == proposed and item["category_proposed"] is False
    assert [(s["category_id"], s["status"]) for s in item["category_suggestions"]] == [(proposed, "confirmed")]
    queue = client.get("/api/v1/category-suggestions", headers=bearer(official)).get_json()["data"]
    assert item_id not in {r["item_id"] for r in queue}
    confirmed = client.get("/api/v1/category-suggestions?status=confirmed", headers=bearer(official)).get_json()
    assert item_id in {r["item_id"] for r in confirmed["data"]}


def test_a_correction_goes_through_the_item_write_path_and_teaches_later_inference(client, db, official):
    firm = gen_enterprise(db, "sme")["id"]
    target = "terminals.structural-parts"
    # Silicone keypads: the taxonomy's words point to medical polymers; an official knows better.
    first, control = _import_supply(db, [("硅胶按键", "导电硅胶按键，遥控器与家电面板用"), ("导电硅胶按键", "")], firm)
    guessed = item_repo.get(db, "supply", first)
    assert guessed.get("category_id") != target and item_repo.get(db, "supply", control).get("category_id") != target
    queue = client.get("/api/v1/category-suggestions", headers=bearer(official)).get_json()["data"]
    assert first in {r["item_id"] for r in queue}
    response = client.post(f"/api/v1/category-suggestions/supply/{first}", json={"category_id": target},
                           headers=bearer(official))
    assert response.status_code == 200, response.get_json()
    corrected = item_repo.get(db, "supply", first)
    assert corrected["category_id"] == target and corrected["category_proposed"] is False
    assert corrected["chain_id"] == "terminals" and corrected["segment_id"] == "terminals.upstream"
    assert corrected["version"] == guessed["version"] + 1 and corrected["seq"] > guessed["seq"]
    history = client.get(f"/api/v1/supply-items/{first}/history", headers=bearer(official)).get_json()["data"]
    assert history[0]["action"] == "update"
    kept = suggestion_repo.of_item(db, "supply", first)
    assert [(s["category_id"], s["status"]) for s in kept] == [(target, "corrected")]
    assert kept[0]["reviewed_by"]

    [later] = _import_supply(db, [("导电硅胶按键", "")], firm)  # the control's very text, after the correction
    assert item_repo.get(db, "supply", later)["category_id"] == target


def test_a_review_made_elsewhere_counts_after_a_refresh(db, monkeypatch):
    from graph import chains as chain_repo

    firm = gen_enterprise(db, "sme")["id"]
    [item_id] = _import_supply(db, [("硅胶按键", "导电硅胶按键")], firm)
    categories, chains = chain_repo.all_categories(db), chain_repo.chain_names(db)
    before = category_model.classifier_for(db, categories, chains)
    suggestion_repo.record_review(db, "supply", item_id, item_repo.get(db, "supply", item_id)["category_id"],
                                  "confirmed", "another-worker", "2026-01-01T00:00:00+00:00")
    assert category_model.classifier_for(db, categories, chains) is before  # read once per process ...
    monkeypatch.setattr(category_model, "REFRESH_SECONDS", 0.0)
    assert category_model.classifier_for(db, categories, chains) is not before  # ... and refreshed


def _csrf(client, path: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


def _sign_in(client, user) -> None:
    client.post("/login", data={"email": user["email"], "password": user["password"],
                                "csrf_token": _csrf(client, "/login")})


@pytest.mark.parametrize("lang, title, confirm", [("zh", "分类审核", "确认"), ("en", "Category review", "Confirm")])
def test_the_review_page_in_both_languages(client, db, lang, title, confirm):
    firm = gen_enterprise(db, "sme")["id"]
    [item_id] = _import_supply(db, [("Plug-top ignition coil", "for GDI engines")], firm)
    _sign_in(client, gen_user(db, "official"))
    page = client.get(f"/categories/review?lang={lang}").get_data(as_text=True)
    assert title in page and confirm in page and "Plug-top ignition coil" in page
    assert 'name="csrf_token"' in page and "<select name=\"category_id\"" in page
    label = "汽车电子电器件" if lang == "zh" else "Automotive electrical parts"
    assert label in page  # proposals and the picker show labels
    item_page = client.get(f"/supply/{item_id}?lang={lang}").get_data(as_text=True)
    assert ("置信度" if lang == "zh" else "confidence") in item_page


def test_the_page_corrects_with_csrf_and_refuses_without(client, db):
    firm = gen_enterprise(db, "sme")["id"]
    [item_id] = _import_supply(db, [("座椅骨架总成", "座椅骨架焊接总成")], firm)
    _sign_in(client, gen_user(db, "official"))
    path = f"/categories/review/supply/{item_id}"
    assert client.post(path, data={"category_id": "nev.interior-exterior"}).status_code == 400
    assert item_repo.get(db, "supply", item_id)["category_proposed"] is True
    token = _csrf(client, "/categories/review")
    response = client.post(path + "?chain=nev", data={"category_id": "nev.interior-exterior", "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith("/categories/review?chain=nev")
    assert item_repo.get(db, "supply", item_id)["category_id"] == "nev.interior-exterior"
    bad = client.post(path, data={"category_id": "nope", "csrf_token": token}, follow_redirects=True)
    assert "分类" in bad.get_data(as_text=True) or "category" in bad.get_data(as_text=True)


def test_the_page_is_for_officials(client, db):
    assert client.get("/categories/review").status_code == 302  # to sign-in
    sme, user, _ = firm_with_token(db, "sme")
    _sign_in(client, user)
    assert client.get("/categories/review").status_code == 403
