"""Editions: publishing, immutability, permissions, downloads and pages, on the real graph server."""
from __future__ import annotations

from tests.helpers import page_sign_in

import re
from datetime import date, datetime, timedelta, timezone
from urllib.parse import quote

import pytest

from graph import editions as edition_repo
from matchmaker.services import editions as edition_service
from matchmaker.tabular import parse_rows, read_table
from tests.helpers import bearer, firm_with_token, gen_token, gen_user

TITLE_ZH = "新能源汽车产业链 2026年第四季度 产品供给清单"
TITLE_EN = "New Energy Vehicles chain — 2026 Q4 supply list"


def _supply(client, token, **fields):
    body = {"name": "铝合金压铸壳体", "description": "高压铸造 A380 铝合金", "category": "nev.lightweight-castings",
            "capacity": 50000, "unit": "件", "certifications": ["IATF16949@2030-01-01"], **fields}
    response = client.post("/api/v1/supply-items", json=body, headers=bearer(token))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["data"]


def _official(db) -> str:
    return gen_token(db, gen_user(db, "official"))


def _publish(client, token, **body):
    return client.post("/api/v1/editions", json={"chain": "nev", "kind": "supply", "period": "2026-Q4", **body},
                       headers=bearer(token) if token else {})


def _rows(client, edition_id, **params):
    response = client.get(f"/api/v1/editions/{edition_id}", query_string=params)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


@pytest.fixture
def nev_supply(client, db):
    """Two published nev items, a draft and an item of another chain: the edition takes the first two."""
    _, _, token = firm_with_token(db, "sme")
    items = [_supply(client, token, name="电驱壳体"), _supply(client, token, name="电池托盘", capacity=1200.5)]
    _supply(client, token, name="草稿件", status="draft")
    _supply(client, token, name="制动盘", description="高速列车", category="rail.brake-components")
    return token, items


def test_official_publishes_a_supply_edition(client, db, nev_supply):
    _, items = nev_supply
    response = _publish(client, _official(db))
    assert response.status_code == 201, response.get_json()
    edition = response.get_json()["data"]
    assert edition["id"] == "nev-supply-2026-Q4"
    assert (edition["title_zh"], edition["title_en"]) == (TITLE_ZH, TITLE_EN)
    assert edition["item_count"] == 2 and edition["enterprise_count"] == 1 and edition["total_value"] is None
    assert "published_by" not in edition  # an official's address is not public

    body = _rows(client, edition["id"])
    assert {r["record"]["id"] for r in body["rows"]} == {i["id"] for i in items}
    assert [r["position"] for r in body["rows"]] == [1, 2]
    row = body["rows"][0]
    assert row["record"]["chain"] == "nev" and row["record"]["category"] == "nev.lightweight-castings"
    assert row["display"]["enterprise_name"] == items[0]["enterprise_name"]
    assert row["display"]["category_name_zh"]
    listed = client.get("/api/v1/editions", query_string={"chain": "nev", "kind": "supply"}).get_json()
    assert [e["id"] for e in listed["data"]] == [edition["id"]]
    assert client.get("/api/v1/editions", query_string={"kind": "demand"}).get_json()["count"] == 0


def test_chain_may_be_named_and_period_defaults_to_this_quarter(client, db, nev_supply):
    response = client.post("/api/v1/editions", json={"chain": "新能源汽车", "kind": "supply"},
                           headers=bearer(_official(db)))
    assert response.status_code == 201, response.get_json()
    today = date.today()
    assert response.get_json()["data"]["id"] == f"nev-supply-{today.year}-Q{(today.month - 1) // 3 + 1}"


def test_leader_demand_edition_sums_value(client, db):
    _, _, leader = firm_with_token(db, "leader")
    for quantity in (100, 300):
        client.post("/api/v1/demand-items", headers=bearer(leader), json={
            "name": "车身线束", "quantity": quantity, "unit_price": 500, "category": "nev.electrical-parts",
            "deadline": "2027-06-30"})
    response = _publish(client, _official(db), kind="demand", period="2026-10")
    assert response.status_code == 201, response.get_json()
    edition = response.get_json()["data"]
    assert edition["id"] == "nev-demand-2026-10" and edition["total_value"] == 200_000
    assert edition["title_zh"] == "新能源汽车产业链 2026年10月 产品需求清单"
    assert edition["title_en"] == "New Energy Vehicles chain — October 2026 demand list"
    assert {r["record"]["deadline"] for r in _rows(client, edition["id"])["rows"]} == {"2027-06-30"}


def test_snapshot_does_not_change_when_items_do(client, db, nev_supply):
    token, items = nev_supply
    edition = _publish(client, _official(db)).get_json()["data"]
    before = _rows(client, edition["id"])["rows"]
    client.patch(f"/api/v1/supply-items/{items[0]['id']}", json={"name": "改名了", "capacity": 1},
                 headers=bearer(token))
    client.delete(f"/api/v1/supply-items/{items[1]['id']}", headers=bearer(token))
    _supply(client, token, name="新产品")
    after = _rows(client, edition["id"])
    assert after["rows"] == before and after["data"]["item_count"] == 2
    # No route changes or deletes an edition.
    assert client.patch(f"/api/v1/editions/{edition['id']}", json={}, headers=bearer(_official(db))).status_code == 405
    assert client.delete(f"/api/v1/editions/{edition['id']}", headers=bearer(_official(db))).status_code == 405


def test_same_chain_list_and_period_twice_is_a_conflict(client, db, nev_supply):
    token = _official(db)
    assert _publish(client, token).status_code == 201
    _supply(client, nev_supply[0], name="后来的产品")
    again = _publish(client, token)
    assert again.status_code == 409
    assert "period" in again.get_json()["error"]["fields"]
    assert "never change" in again.get_json()["error"]["message"]
    assert _rows(client, "nev-supply-2026-Q4")["data"]["item_count"] == 2
    assert _publish(client, token, period="2027-Q1").status_code == 201


@pytest.mark.parametrize("role, status", [("sme", 403), ("leader", 403), (None, 401)])
def test_only_officials_and_admins_publish(client, db, nev_supply, role, status):
    token = firm_with_token(db, role)[2] if role else None
    response = _publish(client, token)
    assert response.status_code == status
    assert client.get("/api/v1/editions").get_json()["count"] == 0
    assert client.get("/api/v1/editions/nev-supply-2026-Q4").status_code == 404


def test_admin_publishes(client, db, nev_supply):
    assert _publish(client, gen_token(db, gen_user(db, "admin"))).status_code == 201


@pytest.mark.parametrize("body, field", [
    ({"period": "2026-13"}, "period"), ({"period": "2026-Q5"}, "period"), ({"period": "Q4 2026"}, "period"),
    ({"kind": "both"}, "kind"), ({"chain": "火星产业"}, "chain"), ({"chain": ""}, "chain"), ({"colour": "red"}, "colour"),
])
def test_bad_fields_are_named(client, db, body, field):
    response = _publish(client, _official(db), **body)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]
    assert client.get("/api/v1/editions").get_json()["count"] == 0


def test_a_chain_without_published_items_publishes_nothing(client, db, nev_supply):
    response = _publish(client, _official(db), chain="rail", kind="demand")
    assert response.status_code == 422 and "chain" in response.get_json()["error"]["fields"]
    assert client.get("/api/v1/editions").get_json()["count"] == 0
    assert _publish(client, _official(db), chain="rail", kind="demand").status_code == 422  # not 409: id freed


def test_large_editions_span_parts(client, db, monkeypatch):
    # Small parts and write batches make five items cross every boundary the 60,000-item case does.
    monkeypatch.setattr(edition_repo, "PART_SIZE", 2)
    monkeypatch.setattr(edition_repo, "_READ_BATCH", 2)
    monkeypatch.setattr(edition_service, "_PARTS_PER_WRITE", 2)
    _, _, token = firm_with_token(db, "sme")
    ids = sorted(_supply(client, token, name=f"零件{n}")["id"] for n in range(5))
    edition = _publish(client, _official(db)).get_json()["data"]
    assert edition["item_count"] == 5
    page = _rows(client, edition["id"], page=2, per_page=3)
    assert [r["record"]["id"] for r in page["rows"]] == ids[3:] and page["pages"] == 2
    assert [r["position"] for r in page["rows"]] == [4, 5]
    assert [r["record"]["id"] for r in _rows(client, edition["id"], page=1, per_page=3)["rows"]] == ids[:3]
    assert _rows(client, edition["id"], page=3, per_page=3)["rows"] == []
    csv = client.get(f"/api/v1/editions/{edition['id']}/download").data
    assert [r["id"] for _, r in parse_rows("supply", read_table(csv, "e.csv")).valid] == ids


def test_running_publication_conflicts_and_an_abandoned_one_is_taken_over(client, db, nev_supply):
    official, now = _official(db), datetime.now(timezone.utc)
    running = {"id": "nev-supply-2026-Q4", "state": "pending", "started_at": now.isoformat(timespec="seconds")}
    assert edition_repo.claim(db, running, (now - timedelta(hours=1)).isoformat()) is None
    conflict = _publish(client, official)
    assert conflict.status_code == 409 and "right now" in conflict.get_json()["error"]["message"]
    assert client.get("/api/v1/editions/nev-supply-2026-Q4").status_code == 404  # pending is never shown
    # A writer that died long ago left a pending claim: the next publication takes it over.
    abandoned = {"id": "nev-supply-2027-Q1", "started_at": "2000-01-01T00:00:00+00:00"}
    assert edition_repo.claim(db, abandoned, "1999-01-01T00:00:00+00:00") is None
    edition_repo.add_parts(db, "nev-supply-2027-Q1", 0, [[{"record": {"id": "stale"}, "display": {}}]])
    taken = _publish(client, official, period="2027-Q1")
    assert taken.status_code == 201 and taken.get_json()["data"]["item_count"] == 2
    assert "stale" not in {r["record"]["id"] for r in _rows(client, "nev-supply-2027-Q1")["rows"]}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_downloads_import_back_unchanged(client, db, nev_supply, fmt):
    edition = _publish(client, _official(db)).get_json()["data"]
    response = client.get(f"/api/v1/editions/{edition['id']}/download", query_string={"format": fmt})
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert f'filename="nev-supply-2026-Q4.{fmt}"' in disposition
    assert f"filename*=UTF-8''{quote(TITLE_ZH)}.{fmt}" in disposition
    parsed = parse_rows("supply", read_table(response.data, f"edition.{fmt}"))
    assert parsed.errors == [] and parsed.warnings == []
    records = {r["record"]["id"]: r["record"] for r in _rows(client, edition["id"])["rows"]}
    assert {r["id"]: r for _, r in parsed.valid} == records


def test_bad_download_format_and_unknown_edition(client, db, nev_supply):
    _publish(client, _official(db))
    bad = client.get("/api/v1/editions/nev-supply-2026-Q4/download", query_string={"format": "pdf"})
    assert bad.status_code == 422 and "format" in bad.get_json()["error"]["fields"]
    assert client.get("/api/v1/editions/nope/download").status_code == 404
    assert client.get("/api/v1/editions/nope").status_code == 404


def test_public_page_and_print_view_in_both_languages(client, db, nev_supply):
    _, items = nev_supply
    _publish(client, _official(db))
    listing = client.get("/editions").get_data(as_text=True)
    assert TITLE_ZH in listing and "发布清单" not in listing  # anonymous visitors get no publish form
    page = client.get("/editions/nev-supply-2026-Q4?lang=zh").get_data(as_text=True)
    assert TITLE_ZH in page and items[0]["enterprise_name"] in page and "电驱壳体" in page and "年产能" in page
    english = client.get("/editions/nev-supply-2026-Q4?lang=en").get_data(as_text=True)
    assert TITLE_EN in english and "Annual capacity" in english
    printed = client.get("/editions/nev-supply-2026-Q4/print?lang=en").get_data(as_text=True)
    assert "@media print" in printed and "电池托盘" in printed and "电驱壳体" in printed
    assert 'class="top"' not in printed  # no site navigation on paper
    assert client.get("/editions/nope").status_code == 404
    assert client.get("/editions", query_string={"kind": "both"}).status_code == 422
    filtered = client.get("/editions", query_string={"chain": "", "kind": "", "lang": "zh"})  # the form's "all"
    assert filtered.status_code == 200 and TITLE_ZH in filtered.get_data(as_text=True)
    assert TITLE_ZH not in client.get("/editions", query_string={"kind": "demand"}).get_data(as_text=True)


def test_web_publish_form_needs_the_csrf_token(client, db, nev_supply):
    refused = client.post("/editions", data={"chain": "nev", "kind": "supply", "period": "2026-Q4"})
    assert refused.status_code == 400
    assert client.get("/api/v1/editions").get_json()["count"] == 0


def _sign_in(client, user):
    page_sign_in(client, user)


def _form_token(client) -> str:
    """The session's CSRF token, as any form of the page carries it."""
    listing = client.get("/editions").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', listing).group(1)


def test_official_publishes_through_the_web_form(client, db, nev_supply):
    _sign_in(client, gen_user(db, "official"))
    assert 'method="post" action="/editions"' in client.get("/editions").get_data(as_text=True)
    token = _form_token(client)
    response = client.post("/editions", data={"csrf_token": token, "chain": "nev", "kind": "supply", "period": ""})
    assert response.status_code == 302
    today = date.today()
    assert response.headers["Location"].endswith(f"/editions/nev-supply-{today.year}-Q{(today.month - 1) // 3 + 1}")
    again = client.post("/editions", data={"csrf_token": token, "chain": "nev", "kind": "supply", "period": ""},
                        follow_redirects=True)
    assert "未能发布" in again.get_data(as_text=True)
    assert client.get("/api/v1/editions").get_json()["count"] == 1


def test_firm_cannot_publish_through_the_web_form(client, db, nev_supply):
    _, user, _ = firm_with_token(db, "sme")
    _sign_in(client, user)
    listing = client.get("/editions").get_data(as_text=True)
    assert 'method="post" action="/editions"' not in listing  # no publish form for firms
    response = client.post("/editions", data={"chain": "nev", "kind": "supply", "csrf_token": _form_token(client)},
                           follow_redirects=True)
    assert "未能发布" in response.get_data(as_text=True)
    assert client.get("/api/v1/editions").get_json()["count"] == 0

