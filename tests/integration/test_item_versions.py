"""Create is create, update is update: an id in use is a 409 naming its owner; an edit carries the
version it was made on, and a stale one is a 409 with nothing changed, checked inside the write."""
from __future__ import annotations

import re
import threading

from graph import items as item_repo
from matchmaker.services.imports import import_file
from tests.helpers import HOME, bearer, firm_with_token, gen_user, page_sign_in

SUPPLY = "/api/v1/supply-items"


def _create(client, token, **fields):
    return client.post(SUPPLY, json={"name": "精密齿轮", "capacity": 100, **fields}, headers=bearer(token))


def _login(client, user) -> None:
    page_sign_in(client, user)


def test_creating_an_id_in_use_is_a_409_naming_the_id_and_its_owner(client, db):
    owner, _, owner_token = firm_with_token(db, "sme")
    _, _, other_token = firm_with_token(db, "sme")
    assert _create(client, owner_token, id="S-TAKEN").status_code == 201
    refused = _create(client, other_token, id="S-TAKEN", name="别人的齿轮")
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert error["code"] == "conflict" and "'S-TAKEN'" in error["message"] and owner["id"] in error["message"]
    assert list(error["fields"]) == ["id"]
    again = _create(client, owner_token, id="S-TAKEN", name="改名")   # the owner too: create never updates
    assert again.status_code == 409
    item = item_repo.get(db, "supply", "S-TAKEN")
    assert (item["enterprise_id"], item["name"], item["version"]) == (owner["id"], "精密齿轮", 1)


def test_the_etag_carries_the_version_and_a_stale_if_match_is_refused(client, db):
    _, _, token = firm_with_token(db, "sme")
    created = _create(client, token)
    item_id = created.get_json()["data"]["id"]
    assert created.headers["ETag"] == '"1"'
    read = client.get(f"{SUPPLY}/{item_id}")
    assert read.headers["ETag"] == '"1"'
    patched = client.patch(f"{SUPPLY}/{item_id}", json={"capacity": 200},
                           headers={**bearer(token), "If-Match": read.headers["ETag"]})
    assert patched.status_code == 200 and patched.headers["ETag"] == '"2"'

    stale = client.patch(f"{SUPPLY}/{item_id}", json={"capacity": 300},
                         headers={**bearer(token), "If-Match": '"1"'})
    assert stale.status_code == 409
    error = stale.get_json()["error"]
    assert error["code"] == "stale_version" and "reload" in error["message"]
    in_body = client.patch(f"{SUPPLY}/{item_id}", json={"capacity": 300, "version": 1}, headers=bearer(token))
    assert in_body.status_code == 409
    ended = client.delete(f"{SUPPLY}/{item_id}", headers={**bearer(token), "If-Match": 'W/"1"'})
    assert ended.status_code == 409
    item = item_repo.get(db, "supply", item_id)
    assert (item["capacity"], item["version"], item["status"]) == (200, 2, "published")
    assert client.patch(f"{SUPPLY}/{item_id}", json={"capacity": 300, "version": 2},
                        headers=bearer(token)).status_code == 200


def test_a_version_that_is_not_one_is_a_422(client, db):
    _, _, token = firm_with_token(db, "sme")
    item_id = _create(client, token).get_json()["data"]["id"]
    for headers, body in (({"If-Match": "yesterday"}, {}), ({"If-Match": '"1"'}, {"version": 2}),
                          ({}, {"version": "1"}), ({}, {"version": 0})):
        response = client.patch(f"{SUPPLY}/{item_id}", json={"capacity": 5, **body},
                                headers={**bearer(token), **headers})
        assert response.status_code == 422, (headers, body)
    assert item_repo.get(db, "supply", item_id)["version"] == 1


def test_two_concurrent_edits_of_one_version_one_succeeds_one_gets_409(app, db):
    _, _, token = firm_with_token(db, "sme")
    for round_ in range(4):
        item_id = _create(app.test_client(), token, name=f"并发编辑{round_}").get_json()["data"]["id"]
        start, statuses = threading.Barrier(2), []

        def edit(capacity: int) -> None:
            client = app.test_client()
            start.wait()
            statuses.append(client.patch(f"{SUPPLY}/{item_id}", json={"capacity": capacity},
                                         headers={**bearer(token), "If-Match": '"1"'}).status_code)

        threads = [threading.Thread(target=edit, args=(c,)) for c in (111, 222)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert sorted(statuses) == [200, 409]
        item = item_repo.get(db, "supply", item_id)
        assert item["version"] == 2 and item["capacity"] in (111, 222)


def test_the_edit_form_carries_the_version_and_a_stale_save_asks_to_reload(client, db):
    firm, user, token = firm_with_token(db, "sme")
    item_id = _create(client, token).get_json()["data"]["id"]
    _login(client, {**user, "password": "correct-horse-1"})
    page = client.get(f"/supply/{item_id}/edit?lang=en").get_data(as_text=True)
    assert 'name="version" value="1"' in page
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    # Someone else saves first.
    assert client.patch(f"{SUPPLY}/{item_id}", json={"capacity": 7}, headers=bearer(token)).status_code == 200
    stale = client.post(f"/supply/{item_id}/edit", data={"capacity": "9", "version": "1", "csrf_token": csrf})
    assert stale.status_code == 409
    assert "reload" in stale.get_data(as_text=True)
    assert item_repo.get(db, "supply", item_id)["capacity"] == 7
    zh = client.post(f"/supply/{item_id}/edit?lang=zh", data={"capacity": "9", "version": "1", "csrf_token": csrf})
    assert zh.status_code == 409 and "重新打开页面" in zh.get_data(as_text=True)
    saved = client.post(f"/supply/{item_id}/edit", data={"capacity": "9", "version": "2", "csrf_token": csrf})
    assert saved.status_code == 302 and item_repo.get(db, "supply", item_id)["capacity"] == 9


def test_the_item_form_refuses_an_id_in_use(client, db):
    owner, _, owner_token = firm_with_token(db, "sme")
    _create(client, owner_token, id="S-FORM-TAKEN")
    _, user, _ = firm_with_token(db, "sme")
    _login(client, {**user, "password": "correct-horse-1"})
    page = client.get("/supply/new").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    refused = client.post("/supply/new?lang=en", data={"id": "S-FORM-TAKEN", "name": "齿轮", "csrf_token": csrf})
    assert refused.status_code == 409 and owner["id"] in refused.get_data(as_text=True)
    assert item_repo.get(db, "supply", "S-FORM-TAKEN")["enterprise_id"] == owner["id"]


def test_imports_keep_upserting_by_id(client, db):
    owner, _, token = firm_with_token(db, "sme")
    _create(client, token, id="S-IMPORTED")
    csv = f"id,enterprise_id,name,capacity\nS-IMPORTED,{owner['id']},精密齿轮,500\n".encode()
    report = import_file(db, "supply", csv, "supply.csv", home_region=HOME)
    assert report.applied and report.written == 1
    item = item_repo.get(db, "supply", "S-IMPORTED")
    assert (item["capacity"], item["version"]) == (500, 2)
