"""Demand alerts and notifications on the real graph server: API, pages, the account switch."""
from __future__ import annotations

import pytest

from tests.helpers import bearer, firm_with_token, gen_token, gen_user
from tests.matrix_helpers import csrf_of

IGBT = ("IGBT功率模块 750V 820A 车规级", "双面散热塑封IGBT模块，用于电机控制器主驱逆变")
BOLTS = ("M12 高强度螺栓 8.8级", "GB/T 5782 外六角螺栓，镀锌")
DEMAND = {"name": "车规级IGBT模块 750V", "description": "主驱逆变器用IGBT功率模块，750V 820A，双面散热",
          "quantity": 10000, "unit": "pcs", "unit_price": 1200}


def _supply(client, token, name, description):
    response = client.post("/api/v1/supply-items", headers=bearer(token),
                           json={"name": name, "description": description, "capacity": 50000, "unit": "pcs"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["data"]


def _inbox(client, token, **query):
    response = client.get("/api/v1/notifications", headers=bearer(token), query_string=query)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


@pytest.fixture
def market(client, db):
    """A leader (which also offers an IGBT module itself), a fitting SME, a fitting SME with alerts off,
    and a bolt maker."""
    leader, _, leader_token = firm_with_token(db, "leader")
    firms = {}
    for key, (name, description) in {"fits": IGBT, "off": IGBT, "bolts": BOLTS}.items():
        firm, user, token = firm_with_token(db, "sme")
        firms[key] = {"firm": firm, "user": user, "token": token,
                      "item": _supply(client, token, name, description)}
    switched = client.patch("/api/v1/account", json={"alerts_enabled": False}, headers=bearer(firms["off"]["token"]))
    assert switched.status_code == 200 and switched.get_json()["data"]["alerts_enabled"] is False
    return {"leader": leader, "leader_token": leader_token, "firms": firms}


def _publish(client, market, **fields):
    response = client.post("/api/v1/demand-items", headers=bearer(market["leader_token"]), json={**DEMAND, **fields})
    assert response.status_code == 201, response.get_json()
    _alerts_sent(client)
    return response.get_json()["data"]


def _alerts_sent(client):
    """Alerts run on a background thread after the response: wait for the queued ones."""
    client.application.extensions["alerts"].drain()


def test_a_published_demand_alerts_the_fitting_sme_only(client, market):
    demand = _publish(client, market)
    firms = market["firms"]
    found = _inbox(client, firms["fits"]["token"])
    assert found["total"] == 1 and found["unread"] == 1
    note = found["data"][0]
    assert note["kind"] == "demand_alert" and note["read_at"] is None
    assert note["link"] == f"/demand/{demand['id']}"
    assert note["params"]["demand_id"] == demand["id"] and note["params"]["supply_id"] == firms["fits"]["item"]["id"]
    assert note["params"]["fit"] >= 0.7
    assert note["title"] == (f"New demand from {market['leader']['name']}: {DEMAND['name']} "
                             f"fits your {IGBT[0]}")
    assert _inbox(client, firms["off"]["token"])["total"] == 0      # alerts turned off
    assert _inbox(client, firms["bolts"]["token"])["total"] == 0    # nothing of it fits
    assert _inbox(client, market["leader_token"])["total"] == 0     # never the demand's own firm


def test_every_active_account_of_the_firm_hears_once_and_a_second_publish_is_not_repeated(client, db, market):
    fits = market["firms"]["fits"]
    colleague = gen_token(db, gen_user(db, "sme", enterprise_id=fits["firm"]["id"]))
    demand = _publish(client, market, status="draft")
    assert _inbox(client, fits["token"])["total"] == 0              # a draft alerts nobody
    path = f"/api/v1/demand-items/{demand['id']}"
    assert client.patch(path, json={"status": "published"}, headers=bearer(market["leader_token"])).status_code == 200
    _alerts_sent(client)
    assert _inbox(client, fits["token"])["total"] == 1 and _inbox(client, colleague)["total"] == 1
    for status in ("draft", "published"):
        client.patch(path, json={"status": status}, headers=bearer(market["leader_token"]))
    _alerts_sent(client)
    assert _inbox(client, fits["token"])["total"] == 1


def test_marking_read_one_all_and_never_another_accounts(client, market):
    _publish(client, market)
    _publish(client, market, name="IGBT模块 750V 第二批")
    fits, bolts = market["firms"]["fits"], market["firms"]["bolts"]
    first, second = (n["id"] for n in _inbox(client, fits["token"])["data"])
    refused = client.post("/api/v1/notifications/read", json={"ids": [first]}, headers=bearer(bolts["token"]))
    assert refused.status_code == 200 and refused.get_json()["data"] == {"marked": 0, "ignored": [first], "unread": 0}
    assert _inbox(client, fits["token"])["unread"] == 2
    marked = client.post("/api/v1/notifications/read", json={"ids": [first, "N-unknown"]}, headers=bearer(fits["token"]))
    assert marked.get_json()["data"] == {"marked": 1, "ignored": ["N-unknown"], "unread": 1}
    assert [n["id"] for n in _inbox(client, fits["token"], unread="true")["data"]] == [second]
    everything = client.post("/api/v1/notifications/read", json={"all": True}, headers=bearer(fits["token"]))
    assert everything.get_json()["data"]["unread"] == 0


BAD_BODIES = [({"ids": "N-1"}, "ids"), ({"ids": [1, 2]}, "ids"), ({}, "ids"), ({"all": "maybe"}, "all"),
              ({"ids": ["N-1"], "all": True}, "ids"), ({"ids": ["x" * 65]}, "ids"), ({"everything": True}, "everything")]


def test_bad_mark_read_input_is_named_and_changes_nothing(client, market):
    _publish(client, market)
    token = market["firms"]["fits"]["token"]
    for body, field in BAD_BODIES:
        response = client.post("/api/v1/notifications/read", json=body, headers=bearer(token))
        assert response.status_code == 422, (body, response.get_json())
        assert field in response.get_json()["error"]["fields"], (body, response.get_json())
    assert _inbox(client, token)["unread"] == 1


def test_bad_paging_and_account_input(client, market):
    token = market["firms"]["fits"]["token"]
    bad_page = client.get("/api/v1/notifications?per_page=0", headers=bearer(token))
    assert bad_page.status_code == 422 and "per_page" in bad_page.get_json()["error"]["fields"]
    bad_switch = client.patch("/api/v1/account", json={"alerts_enabled": "sometimes"}, headers=bearer(token))
    assert bad_switch.status_code == 422 and "alerts_enabled" in bad_switch.get_json()["error"]["fields"]
    assert client.get("/api/v1/account", headers=bearer(token)).get_json()["data"]["alerts_enabled"] is True
    assert client.get("/api/v1/notifications").status_code == 401


def test_an_engine_failure_never_fails_the_write(client, app, market, monkeypatch, caplog):
    def broken():
        raise RuntimeError("index is being rebuilt")
    monkeypatch.setattr(app.extensions["matching"], "engine", broken)
    demand = _publish(client, market)
    assert demand["status"] == "published"
    assert f"demand alerts for {demand['id']} failed" in caplog.text and _inbox(client, market["firms"]["fits"]["token"])["total"] == 0


def _signed_in(app, user):
    web = app.test_client()
    response = web.post("/login", data={"email": user["email"], "password": user["password"],
                                        "csrf_token": csrf_of(web)})
    assert response.status_code == 302
    return web


def test_the_page_the_header_count_and_the_account_switch(client, app, market):
    anonymous = client.get("/notifications")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    demand = _publish(client, market)
    fits = market["firms"]["fits"]
    web = _signed_in(app, fits["user"])
    page = web.get("/notifications?lang=zh").get_data(as_text=True)
    assert f"{market['leader']['name']} 发布新需求“{DEMAND['name']}”，与贵企业的“{IGBT[0]}”匹配" in page
    assert f'href="/demand/{demand["id"]}"' in page and 'class="count"' in page
    english = web.get("/notifications?lang=en").get_data(as_text=True)
    assert f"New demand from {market['leader']['name']}: {DEMAND['name']} fits your {IGBT[0]}" in english
    token = csrf_of(web, "/notifications")
    assert web.post("/notifications/read", data={"all": "1"}).status_code == 400   # no CSRF token
    assert web.post("/notifications/read", data={"all": "1", "csrf_token": token}).status_code == 302
    assert 'class="count"' not in web.get("/notifications").get_data(as_text=True)
    assert _inbox(client, fits["token"])["unread"] == 0
    assert web.post("/account/alerts", data={"alerts_enabled": "false", "csrf_token": token}).status_code == 302
    assert "Turn alerts on" in web.get("/account?lang=en").get_data(as_text=True)
    _publish(client, market, name="IGBT模块 第三批")
    assert _inbox(client, fits["token"])["total"] == 1  # off: nothing new
