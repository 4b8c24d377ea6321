"""Engagement pages on the real graph server: the invite button among the suggestions, the list with the
invitations to answer first, the detail page's ladder, history and only the forms this account may use."""
from __future__ import annotations

import re

import pytest

from graph import engagements as repo
from tests.helpers import bearer, firm_with_token, gen_token, gen_user
from tests.matrix_helpers import csrf_of

IGBT = ("IGBT功率模块 750V 820A 车规级", "双面散热塑封IGBT模块，用于电机控制器主驱逆变")
DEMAND = {"name": "车规级IGBT模块 750V", "description": "主驱逆变器用IGBT功率模块，750V 820A，双面散热",
          "quantity": 10000, "unit": "pcs", "unit_price": 1200}


def _signed_in(app, user):
    client = app.test_client()
    answer = client.post("/login", data={"email": user["email"], "password": user["password"],
                                         "csrf_token": csrf_of(client)})
    assert answer.status_code == 302
    return client


@pytest.fixture
def pages(app, client, db):
    leader, leader_user, leader_token = firm_with_token(db, "leader")
    sme, sme_user, sme_token = firm_with_token(db, "sme")
    supply = client.post("/api/v1/supply-items", headers=bearer(sme_token),
                         json={"name": IGBT[0], "description": IGBT[1], "capacity": 50000, "unit": "pcs"})
    demand = client.post("/api/v1/demand-items", headers=bearer(leader_token), json=DEMAND)
    assert supply.status_code == 201 and demand.status_code == 201
    official = gen_user(db, "official")
    gen_token(db, official)
    return {"leader": _signed_in(app, leader_user), "sme": _signed_in(app, sme_user),
            "official": _signed_in(app, official), "demand": demand.get_json()["data"], "sme_id": sme["id"],
            "supply": supply.get_json()["data"]}


def _post(client, path, data):
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/engagements").get_data(as_text=True)).group(1)
    return client.post(path, data={**data, "csrf_token": csrf})


def test_invite_from_the_suggestions_then_walk_the_pages(pages):
    leader, sme, official = pages["leader"], pages["sme"], pages["official"]
    demand_page = leader.get(f"/demand/{pages['demand']['id']}?lang=zh").get_data(as_text=True)
    assert 'action="/engagements/invite"' in demand_page and "邀请对接" in demand_page
    assert f'name="supplier_id" value="{pages["sme_id"]}"' in demand_page
    made = _post(leader, "/engagements/invite", {"demand_item_id": pages["demand"]["id"], "supplier_id": pages["sme_id"],
                                                 "supply_item_id": pages["supply"]["id"], "note": "请报价"})
    assert made.status_code == 302
    eid = made.headers["Location"].rsplit("/", 1)[1]
    again = leader.get(f"/demand/{pages['demand']['id']}").get_data(as_text=True)
    assert f"/engagements/{eid}" in again and 'action="/engagements/invite"' not in again
    twice = _post(official, "/engagements/invite", {"demand_item_id": pages["demand"]["id"],
                                                    "supplier_id": pages["sme_id"]})
    assert twice.status_code == 302 and twice.headers["Location"].endswith(f"/engagements/{eid}")

    listing = sme.get("/engagements?lang=zh").get_data(as_text=True)
    assert "待答复的邀请" in listing and f"/engagements/{eid}" in listing and "对接" in listing
    detail = sme.get(f"/engagements/{eid}?lang=zh").get_data(as_text=True)
    assert 'value="accepted"' in detail and 'value="declined"' in detail and 'name="quantity"' not in detail
    assert "请报价" in detail and not re.search(r"\d{4}-\d\d-\d\dT\d\d:", detail)  # times formatted, not raw ISO
    assert _post(sme, f"/engagements/{eid}/move", {"status": "accepted", "version": "1"}).status_code == 302
    leader_view = leader.get(f"/engagements/{eid}?lang=en").get_data(as_text=True)
    assert 'name="quantity"' in leader_view and 'value="accepted"' not in leader_view
    refused = _post(sme, f"/engagements/{eid}/move", {"status": "contracted", "version": "2", "quantity": "5",
                                                      "value": "100", "start_date": "2027-01-01"})
    assert refused.status_code == 403 and "您可以转到：已关闭" in refused.get_data(as_text=True)  # what it may do, in zh
    bad = _post(leader, f"/engagements/{eid}/move", {"status": "contracted", "version": "2", "quantity": "5",
                                                     "value": "abc", "start_date": "2027-01-01"})
    assert bad.status_code == 422
    signed = _post(official, f"/engagements/{eid}/move", {"status": "contracted", "version": "2", "quantity": "5",
                                                          "value": "1,000,000", "start_date": "2027-01-01"})
    assert signed.status_code == 302
    stored = repo.get(official.application.extensions["graph"], eid)
    assert stored["status"] == "contracted" and stored["value"] == 1_000_000 and stored["proxy"] is True
    final = leader.get(f"/engagements/{eid}?lang=en").get_data(as_text=True)
    assert "Correct the contract value" in final and "recorded by an official" in final


def test_decline_needs_a_reason_on_the_page(pages):
    made = _post(pages["leader"], "/engagements/invite", {"demand_item_id": pages["demand"]["id"],
                                                          "supplier_id": pages["sme_id"]})
    eid = made.headers["Location"].rsplit("/", 1)[1]
    answer = _post(pages["sme"], f"/engagements/{eid}/move?lang=en", {"status": "declined", "version": "1"})
    assert answer.status_code == 422 and "reason" in answer.get_data(as_text=True).lower()
    ok = _post(pages["sme"], f"/engagements/{eid}/move", {"status": "declined", "version": "1", "reason": "capacity"})
    assert ok.status_code == 302


def test_nav_link_and_anonymous(client, pages):
    assert client.get("/engagements").status_code == 302
    assert "/engagements" in pages["sme"].get("/").get_data(as_text=True)
