"""The batch plan page through the Flask test client on the real graph server: the plan table (zh, en),
invitations from the ticked pairs (created, already engaged), bad pairs, the XLSX export, who may."""
from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from tests.integration.test_plans_api import market  # noqa: F401  (the fixture: a leader's demand, three SMEs)
from tests.helpers import gen_user

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _sign_in(app, user, lang="zh"):
    client = app.test_client()
    client.get(f"/login?lang={lang}")
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    response = client.post("/login", data={"email": user["email"], "password": user["password"], "csrf_token": token})
    assert response.status_code == 302
    # Signing in starts a new session, with a new CSRF token: the forms' one is read afterwards.
    return client, CSRF.search(client.get("/account").get_data(as_text=True)).group(1)


@pytest.fixture
def official(app, db):
    return _sign_in(app, gen_user(db, "official"))


@pytest.mark.parametrize("lang, words", [("zh", ("批量对接方案", "为勾选的配对发出邀请")),
                                         ("en", ("Batch plan", "Create invitations for the ticked pairs"))])
def test_the_plan_table_in_both_languages(app, db, market, lang, words):  # noqa: F811
    client, _ = _sign_in(app, gen_user(db, "official"), lang)
    page = client.get("/plans?chain=nev").get_data(as_text=True)
    local = market["firms"]["local"]
    assert all(w in page for w in words)
    assert f'value="{market["demand"]["id"]}|{local["firm"]["id"]}|{local["item"]["id"]}" checked' in page
    assert market["firms"]["far"]["firm"]["id"] not in page
    chooser = client.get("/plans").get_data(as_text=True)
    assert 'name="chain"' in chooser and 'name="pair"' not in chooser


def test_ticked_pairs_become_invitations_once(market, official):  # noqa: F811
    client, token = official
    local = market["firms"]["local"]
    pair = f'{market["demand"]["id"]}|{local["firm"]["id"]}|{local["item"]["id"]}'
    first = client.post("/plans/invitations", data={"csrf_token": token, "chain": "nev", "pair": [pair]})
    assert first.status_code == 200 and "创建了 1 个邀请" in first.get_data(as_text=True)
    again = client.post("/plans/invitations", data={"csrf_token": token, "chain": "nev", "pair": [pair]})
    text = again.get_data(as_text=True)
    assert again.status_code == 200 and "1 个配对已在对接中" in text and "G-" in text


def test_bad_pairs_are_refused_and_nothing_is_invited(market, official):  # noqa: F811
    client, token = official
    local = market["firms"]["local"]
    good = f'{market["demand"]["id"]}|{local["firm"]["id"]}|{local["item"]["id"]}'
    for pairs in ([], [good, "no-bars"], [good, "a|b"]):
        response = client.post("/plans/invitations", data={"csrf_token": token, "pair": pairs})
        assert response.status_code == 422, response.get_data(as_text=True)[:300]
        assert "配对" in response.get_data(as_text=True)
    assert client.post("/plans/invitations", data={"pair": [good]}).status_code == 400  # no CSRF token
    # nothing was invited: the good pair still makes a new invitation
    made = client.post("/plans/invitations", data={"csrf_token": token, "pair": [good]})
    assert "创建了 1 个邀请" in made.get_data(as_text=True)


def test_the_xlsx_export(market, official):  # noqa: F811
    client, _ = official
    response = client.get("/plans/export.xlsx?chain=nev")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    rows = list(load_workbook(io.BytesIO(response.data))["plan"].values)
    assert rows[0][2] == "需求条目编号" and rows[1][2] == market["demand"]["id"] and rows[1][8] == 6000


def test_only_officials_and_admins(app, db, market):  # noqa: F811
    anonymous = app.test_client().get("/plans")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    leader, _ = _sign_in(app, gen_user(db, "leader", market["leader"]["id"]))
    assert leader.get("/plans?chain=nev").status_code == 403
    assert leader.get("/plans/export.xlsx?chain=nev").status_code == 403
    bad = _sign_in(app, gen_user(db, "admin"))[0].get("/plans?chain=no-such-chain")
    assert bad.status_code == 200 and "没有这个编号或名称的产业链" in bad.get_data(as_text=True)


def test_ticked_pairs_join_a_planned_round_as_its_invitations(app, db, market, official):  # noqa: F811
    import datetime as dt

    from graph import rounds as round_repo
    from matchmaker.docking import rounds
    from matchmaker.services.permissions import Principal

    client, token = official
    round_ = rounds.create_round(db, Principal("u-x", "official"), {"title": "新能源汽车供需对接会", "date": dt.date(2027, 1, 15),
                                                                  "place": "成都", "chains": ["nev"]})
    assert round_["id"] in client.get("/plans?chain=nev").get_data(as_text=True)  # offered on the plan page
    local = market["firms"]["local"]
    pair = f'{market["demand"]["id"]}|{local["firm"]["id"]}|{local["item"]["id"]}'
    response = client.post("/plans/invitations", data={"csrf_token": token, "chain": "nev", "pair": [pair],
                                                      "round_id": round_["id"], "to_round": "1"})
    assert response.status_code == 302 and f"/rounds/{round_['id']}" in response.headers["Location"]
    pairs = round_repo.pairs_of(db, round_["id"])
    assert [(p["demand_id"], p["supplier_id"]) for p in pairs] == [(market["demand"]["id"], local["firm"]["id"])]
    assert pairs[0]["engagement_id"].startswith("G-")
    bad = client.post("/plans/invitations", data={"csrf_token": token, "pair": ["no-bars"],
                                                 "round_id": round_["id"], "to_round": "1"})
    assert bad.status_code == 422 and len(round_repo.pairs_of(db, round_["id"])) == 1
