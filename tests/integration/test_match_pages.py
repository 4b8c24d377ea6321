"""The match pages through the Flask test client on the real graph server: suggested suppliers on a demand
item's page (zh and en), verdicts with CSRF, who sees what, bad filters, and an SME's opportunities."""
from __future__ import annotations

import html
import re

import pytest

from graph import feedback as feedback_repo
from tests.helpers import bearer, gen_enterprise, gen_token, gen_user

SHANGHAI = "310115"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SECTION = re.compile(r'<section id="suggestions".*?</section>', re.S)


def _sign_in(client, user, lang="zh"):
    client.get(f"/login?lang={lang}")
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    response = client.post("/login", data={"email": user["email"], "password": user["password"],
                                           "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


def _firm(db, role, region="510116", **extra):
    firm = gen_enterprise(db, role=role, region=region, **extra)
    user = gen_user(db, role, firm["id"])
    return firm, user


def _supply(client, user, db, name, description, certs):
    response = client.post("/api/v1/supply-items", headers=bearer(gen_token(db, user)), json={
        "name": name, "description": description, "capacity": 5000, "unit": "pcs", "certifications": certs})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["data"]


@pytest.fixture
def market(app, db):
    """A leader's IGBT demand; a local SRSN supplier, a Shanghai one, and a local one without the certificate."""
    client = app.test_client()
    leader, leader_user = _firm(db, "leader")
    demand = client.post("/api/v1/demand-items", headers=bearer(gen_token(db, leader_user)), json={
        "name": "车规级IGBT模块 750V", "description": "主驱逆变器用IGBT功率模块，750V 820A，双面散热",
        "quantity": 10000, "unit": "pcs", "unit_price": 1200, "required_certifications": ["IATF16949"]})
    assert demand.status_code == 201, demand.get_json()
    firms = {}
    for key, region, tier, certs in [("local", "510116", "srsn", ["IATF16949"]),
                                     ("far", SHANGHAI, "none", ["IATF16949"]), ("uncertified", "510116", "none", [])]:
        firm, user = _firm(db, "sme", region, tier=tier)
        item = _supply(client, user, db, "IGBT功率模块 750V 820A 车规级", "双面散热IGBT模块，用于主驱逆变器", certs)
        firms[key] = {"firm": firm, "user": user, "item": item}
    return {"leader": leader, "leader_user": leader_user, "demand": demand.get_json()["data"], "firms": firms}


def _section(response) -> str | None:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    found = SECTION.search(response.get_data(as_text=True))
    return found.group(0) if found else None


def _order(section: str) -> list[str]:
    return re.findall(r'<li class="match" data-enterprise="([^"]+)"', section)


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


def _demand_page(client, market, query=""):
    return client.get(f"/demand/{market['demand']['id']}{query}")


def test_the_leader_sees_local_first_with_reasons_in_chinese_and_no_english(app, market):
    client = _sign_in(app.test_client(), market["leader_user"])
    section = _section(_demand_page(client, market, "?lang=zh"))
    firms = market["firms"]
    order = _order(section)
    assert order[:2] == [firms["local"]["firm"]["id"], firms["far"]["firm"]["id"]]
    assert order.index(firms["uncertified"]["firm"]["id"]) == 2
    text = _text(section)
    for shown in ("推荐供应商", "推荐理由", "高度匹配", "本地供应商", "专精特新中小企业", "满足认证要求：IATF16949",
                  "缺少所需认证：IATF16949", "文本相似度", "产能可覆盖需求量的 50%", "确认", "不合适"):
        assert shown in text, shown
    assert "srsn" not in text and f'/supply/{firms["local"]["item"]["id"]}' in section
    leftover = text
    for known in ("IGBT功率模块 750V 820A 车规级", "IATF16949", *(f["firm"]["name"] for f in firms.values())):
        leftover = leftover.replace(known, "")
    assert not re.findall(r"[A-Za-z]{3,}", leftover), "English words in the zh suggestions"


def test_the_same_section_in_english(app, market):
    client = _sign_in(app.test_client(), market["leader_user"], "en")
    text = _text(_section(_demand_page(client, market, "?lang=en")))
    for shown in ("Suggested suppliers", "Why this supplier", "Strong fit", "Local supplier", "SRSN (专精特新)",
                  "Missing required certification: IATF16949",
                  "Capacity covers 50% of the quantity", "Confirm", "Dismiss"):
        assert shown in text, shown


def test_filters_and_a_bad_filter_is_ignored_with_a_message(app, market):
    client = _sign_in(app.test_client(), market["leader_user"])
    firms = market["firms"]
    local = _order(_section(_demand_page(client, market, "?local_only=true")))
    assert firms["far"]["firm"]["id"] not in local and firms["local"]["firm"]["id"] in local
    certified = _order(_section(_demand_page(client, market, "?certification=IATF16949")))
    assert firms["uncertified"]["firm"]["id"] not in certified and len(certified) == 2
    srsn = _order(_section(_demand_page(client, market, "?tier=srsn")))
    assert srsn == [firms["local"]["firm"]["id"]]
    section = _section(_demand_page(client, market, "?tier=gold&local_only=true"))
    assert "部分筛选条件无效，已忽略。" in section and "企业梯度" in section
    assert _order(section) == [firms["local"]["firm"]["id"], firms["uncertified"]["firm"]["id"]]  # local_only kept


def test_dismissing_needs_the_csrf_token_then_moves_the_supplier_down(app, db, market):
    client = _sign_in(app.test_client(), market["leader_user"])
    demand_id, local_id = market["demand"]["id"], market["firms"]["local"]["firm"]["id"]
    path = f"/demand/{demand_id}/matches/{local_id}/feedback"
    assert client.post(path, data={"verdict": "dismiss"}).status_code == 400
    assert feedback_repo.of_demand(db, demand_id) == []
    token = CSRF.search(_demand_page(client, market).get_data(as_text=True)).group(1)
    response = client.post(path + "?local_only=&tier=srsn", data={"verdict": "dismiss", "reason": "价格偏高",
                                                                  "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/demand/{demand_id}?tier=srsn#suggestions")
    stored = feedback_repo.of_demand(db, demand_id)
    assert [(f["verdict"], f["reason"], f["enterprise_id"]) for f in stored] == [("dismiss", "价格偏高", local_id)]
    page = _demand_page(client, market)
    assert "已标记为不合适" in page.get_data(as_text=True)
    order = _order(_section(page))
    assert order[0] == market["firms"]["far"]["firm"]["id"] and order[-1] == local_id
    assert "您已将该供应商标记为不合适" in _text(_section(_demand_page(client, market)))


def test_a_bad_verdict_is_refused_with_a_message_and_nothing_stored(app, db, market):
    client = _sign_in(app.test_client(), market["leader_user"])
    demand_id, local_id = market["demand"]["id"], market["firms"]["local"]["firm"]["id"]
    token = CSRF.search(_demand_page(client, market).get_data(as_text=True)).group(1)
    response = client.post(f"/demand/{demand_id}/matches/{local_id}/feedback",
                           data={"verdict": "maybe", "reason": "x" * 501, "csrf_token": token}, follow_redirects=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'class="flash error"' in page and "500" in page
    assert feedback_repo.of_demand(db, demand_id) == []


def test_others_do_not_see_the_section_and_cannot_give_verdicts(app, db, market):
    other_sme = _sign_in(app.test_client(), market["firms"]["far"]["user"])
    assert _section(_demand_page(other_sme, market)) is None
    _, other_leader = _firm(db, "leader")
    assert _section(_demand_page(_sign_in(app.test_client(), other_leader), market)) is None
    assert _section(_demand_page(app.test_client(), market)) is None   # anonymous
    official = _sign_in(app.test_client(), gen_user(db, "official"))
    assert len(_order(_section(_demand_page(official, market)))) == 3
    token = CSRF.search(_demand_page(other_sme, market).get_data(as_text=True)).group(1)
    refused = other_sme.post(f"/demand/{market['demand']['id']}/matches/{market['firms']['local']['firm']['id']}"
                             "/feedback", data={"verdict": "dismiss", "csrf_token": token})
    assert refused.status_code == 403
    assert feedback_repo.of_demand(db, market["demand"]["id"]) == []


def test_the_sme_sees_its_opportunities_with_the_gap_and_the_value(app, market):
    firm = market["firms"]["uncertified"]
    client = _sign_in(app.test_client(), firm["user"])
    page = client.get("/opportunities?lang=zh")
    assert page.status_code == 200
    text = _text(page.get_data(as_text=True))
    assert market["demand"]["name"] in text
    for shown in ("配套供货机会", "缺少所需认证：IATF16949", "您的匹配产品", "1,200万元", "推荐理由", "采购方优先本地供应商，您是本地企业"):
        assert shown in text, shown
    main = _text(re.search(r"<main>.*</main>", page.get_data(as_text=True), re.S).group(0))
    for known in (market["demand"]["name"], firm["item"]["name"], "IATF16949", "pcs", market["leader"]["name"],
                  firm["firm"]["name"]):
        main = main.replace(known, "")
    assert not re.findall(r"[A-Za-z]{3,}", main), "English words on the zh opportunities page"
    english = _text(client.get("/opportunities?lang=en").get_data(as_text=True))
    for shown in ("Supply opportunities", "Missing required certification: IATF16949", "Your item that fits",
                  "CNY 12 million", "The buyer prefers local suppliers, and you are local"):
        assert shown in english, shown
    assert "已忽略" in client.get("/opportunities?lang=zh&tier=gold").get_data(as_text=True)
    local_only = _text(client.get("/opportunities?local_only=true").get_data(as_text=True))
    assert market["demand"]["name"] in local_only


def test_who_opens_opportunities(app, db, market):
    firm_id = market["firms"]["local"]["firm"]["id"]
    anonymous = app.test_client().get("/opportunities")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    other_sme = _sign_in(app.test_client(), market["firms"]["far"]["user"])
    assert other_sme.get(f"/enterprises/{firm_id}/opportunities").status_code == 403
    official = _sign_in(app.test_client(), gen_user(db, "official"))
    shown = official.get(f"/enterprises/{firm_id}/opportunities")
    assert shown.status_code == 200 and market["demand"]["name"] in shown.get_data(as_text=True)
    assert "未关联企业" in official.get("/opportunities").get_data(as_text=True)
    assert official.get("/enterprises/E-missing/opportunities").status_code == 404
