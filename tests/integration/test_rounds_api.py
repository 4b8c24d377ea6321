"""An official runs a matchmaking round through the API on the real graph server: creates it, adds
pairs (each an invitation, or linked to the open one), records outcomes that move the engagements,
reads the tally and the agenda; bad input changes nothing. Plus the funnel over the same history."""
from __future__ import annotations

from tests.helpers import page_sign_in

import io

import pytest
from openpyxl import load_workbook

from graph import engagements as engagement_repo
from graph import rounds as round_repo
from matchmaker.docking import engagements as engagement_service
from matchmaker.services import items as item_service
from matchmaker.services.permissions import Principal
from tests.helpers import HOME, SYSTEM, bearer, gen_enterprise, gen_token, gen_user

ROUNDS = "/api/v1/rounds"


def _demand(db, leader_id: str, name: str, value_price: float, chain_category: str = "nev.electrical-parts") -> dict:
    return item_service.create_item(db, SYSTEM, "demand", {
        "enterprise_id": leader_id, "name": name, "category": chain_category, "status": "published",
        "quantity": 1000, "unit_price": value_price}, HOME)


@pytest.fixture
def market(db):
    leader = gen_enterprise(db, "leader")
    local = gen_enterprise(db, "sme", name_en="Local Gears")          # region 510116: local
    remote = gen_enterprise(db, "sme", region="440303")                # Shenzhen: not local
    outsider = gen_enterprise(db, "sme")
    users = {"official": gen_user(db, "official"), "leader": gen_user(db, "leader", leader["id"]),
             "local": gen_user(db, "sme", local["id"]), "outsider": gen_user(db, "sme", outsider["id"])}
    tokens = {k: bearer(gen_token(db, u)) for k, u in users.items()}
    d1, d2 = _demand(db, leader["id"], "车规级齿轮", 500_000.0), _demand(db, leader["id"], "变速箱壳体", 2_000.0)
    offer = item_service.create_item(db, SYSTEM, "supply", {
        "enterprise_id": local["id"], "name": "齿轮", "category": "nev.lightweight-castings", "status": "published"}, HOME)
    return {"leader": leader, "local": local, "remote": remote, "users": users, "tokens": tokens, "d1": d1, "d2": d2,
            "offer": offer}


def _new_round(client, market, **extra) -> dict:
    body = {"title": "新能源汽车产业链对接会", "date": "2027-03-15", "place": "成都", "chains": ["nev"], **extra}
    response = client.post(ROUNDS, json=body, headers=market["tokens"]["official"])
    assert response.status_code == 201, response.get_json()
    return response.get_json()["data"]


def _pairs(client, market, round_id, rows, who="official"):
    return client.post(f"{ROUNDS}/{round_id}/pairs", json={"pairs": rows}, headers=market["tokens"][who])


def _outcome(client, market, round_id, pair_id, **body):
    return client.patch(f"{ROUNDS}/{round_id}/pairs/{pair_id}", json=body, headers=market["tokens"]["official"])


def test_an_official_runs_a_round_from_pairs_to_tally(client, db, market):
    leader_principal = Principal(market["users"]["leader"]["id"], "leader", market["leader"]["id"])
    already = engagement_service.invite(db, leader_principal, market["d2"]["id"], market["local"]["id"])
    made = _new_round(client, market)
    assert made["id"].startswith("R-") and made["status"] == "planned" and made["version"] == 1
    rid = made["id"]

    rows = [{"demand_item_id": market["d1"]["id"], "supplier_id": market["local"]["id"],
             "supply_item_id": market["offer"]["id"]},
            {"demand_item_id": market["d1"]["id"], "supplier_id": market["remote"]["id"]},
            {"demand_item_id": market["d2"]["id"], "supplier_id": market["remote"]["id"]},
            {"demand_item_id": market["d2"]["id"], "supplier_id": market["local"]["id"]}]  # already invited
    response = _pairs(client, market, rid, rows)
    assert response.status_code == 201, response.get_json()
    result = response.get_json()["data"]
    assert len(result["added"]) == 3 and [p["engagement_id"] for p in result["linked"]] == [already["id"]]
    assert {p["table_no"] for p in result["added"] + result["linked"]} == {1}  # one leader, one table
    again = _pairs(client, market, rid, [{**rows[0], "quantity": 1000, "value": 5e8}]).get_json()["data"]  # a plan row
    assert again["added"] == [] and len(again["skipped"]) == 1

    pairs = {(p["demand_id"], p["supplier_id"]): p for p in client.get(
        f"{ROUNDS}/{rid}/pairs", headers=market["tokens"]["official"]).get_json()["data"]}
    assert len(pairs) == 4 and all(p["engagement_status"] == "invited" for p in pairs.values())
    for p in pairs.values():
        stored = engagement_repo.get(db, p["engagement_id"])
        assert stored["round_id"] == (None if p["engagement_id"] == already["id"] else rid)

    signed = pairs[market["d1"]["id"], market["local"]["id"]]
    met = pairs[market["d1"]["id"], market["remote"]["id"]]
    no_fit = pairs[market["d2"]["id"], market["remote"]["id"]]
    follow = pairs[market["d2"]["id"], market["local"]["id"]]
    assert _outcome(client, market, rid, signed["id"], outcome="signed", value=540_500_000, quantity=1000,
                    start_date="2027-04-01", note="现场签约").status_code == 200
    assert _outcome(client, market, rid, met["id"], outcome="met").status_code == 200
    assert _outcome(client, market, rid, no_fit["id"], outcome="no_fit", note="产能不足").status_code == 200
    assert _outcome(client, market, rid, follow["id"], outcome="follow_up").status_code == 200

    status = {k: engagement_repo.get(db, p["engagement_id"]) for k, p in
              (("signed", signed), ("met", met), ("no_fit", no_fit), ("follow", follow))}
    assert status["signed"]["status"] == "contracted" and status["signed"]["value"] == 540_500_000
    assert status["signed"]["proxy"] is True and status["signed"]["start_date"] == "2027-04-01"
    assert status["met"]["status"] == "contact" and status["follow"]["status"] == "contact"
    assert status["no_fit"]["status"] == "closed" and status["no_fit"]["reason"] == "no_fit"
    history = [(e["from_status"], e["to_status"]) for e in engagement_repo.history(db, signed["engagement_id"])]
    assert history == [(None, "invited"), ("invited", "accepted"), ("accepted", "contracted")]

    tally = client.get(f"{ROUNDS}/{rid}/tally", headers=market["tokens"]["official"]).get_json()["data"]
    assert {k: tally[k] for k in ("pairs", "firms", "met", "signed", "signed_firms", "value", "local_value")} == {
        "pairs": 4, "firms": 3, "met": 3, "signed": 1, "signed_firms": 2, "value": 540_500_000.0,
        "local_value": 540_500_000.0}
    assert tally["headline"] == {"zh": "2家企业签约5.41亿元", "en": "2 firms signed CNY 540.5 million"}
    assert client.get(f"{ROUNDS}/{rid}", headers=market["tokens"]["official"]).get_json()["data"]["status"] == "held"

    # a corrected value on a second 'signed' corrects the contract, keeping its history
    assert _outcome(client, market, rid, signed["id"], outcome="signed", value=600_000_000, quantity=1000,
                    start_date="2027-04-01").status_code == 200
    assert engagement_repo.get(db, signed["engagement_id"])["value"] == 600_000_000
    assert engagement_repo.history(db, signed["engagement_id"])[-1]["from_status"] == "contracted"

    # the funnel over this history (official: every chain; the leader: its own)
    funnel = client.get("/api/v1/engagements/funnel?chain=nev", headers=market["tokens"]["official"]).get_json()
    stages = {s["stage"]: s["count"] for s in funnel["data"]["funnel"]["stages"]}
    assert stages == {"invited": 4, "accepted": 3, "contact": 3, "samples": 1, "qualification": 1, "contracted": 1}
    assert funnel["data"]["funnel"]["closed"] == {"count": 1, "reasons": {"no_fit": 1}}
    assert funnel["data"]["funnel"]["contracted_local_value"] == 600_000_000
    mine = client.get("/api/v1/engagements/funnel", headers=market["tokens"]["leader"]).get_json()["data"]
    assert mine["scope"]["leader"] == market["leader"]["id"] and mine["funnel"]["engagements"] == 4


def test_firms_see_the_rounds_they_take_part_in_and_only_their_own_pairs(client, db, market):
    rid = _new_round(client, market)["id"]
    _pairs(client, market, rid, [{"demand_item_id": market["d1"]["id"], "supplier_id": market["local"]["id"]},
                                 {"demand_item_id": market["d1"]["id"], "supplier_id": market["remote"]["id"]}])
    local = client.get(f"{ROUNDS}/{rid}", headers=market["tokens"]["local"]).get_json()["data"]
    assert [p["supplier_id"] for p in local["pairs"]] == [market["local"]["id"]] and local["tally"]["pairs"] == 2
    leader = client.get(f"{ROUNDS}/{rid}/pairs", headers=market["tokens"]["leader"]).get_json()["data"]
    assert len(leader) == 2
    assert client.get(f"{ROUNDS}/{rid}", headers=market["tokens"]["outsider"]).status_code == 403
    assert [r["id"] for r in client.get(ROUNDS, headers=market["tokens"]["local"]).get_json()["data"]] == [rid]
    assert client.get(ROUNDS, headers=market["tokens"]["outsider"]).get_json()["data"] == []
    assert _pairs(client, market, rid, [{"demand_item_id": market["d2"]["id"],
                                         "supplier_id": market["local"]["id"]}], who="leader").status_code == 403


def test_agenda_sheet_as_xlsx_and_printable_page(client, db, market):
    rid = _new_round(client, market)["id"]
    _pairs(client, market, rid, [{"demand_item_id": market["d1"]["id"], "supplier_id": market["local"]["id"],
                                  "supply_item_id": market["offer"]["id"]},
                                 {"demand_item_id": market["d2"]["id"], "supplier_id": market["remote"]["id"]}])
    response = client.get(f"{ROUNDS}/{rid}/agenda.xlsx?lang=en", headers=market["tokens"]["official"])
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[1][:4] == ("Table", "Chain leader", "Demand item", "Supplier")
    assert sorted((r[0], r[2], r[4]) for r in rows[2:]) == [(1, "变速箱壳体", "no"), (1, "车规级齿轮", "yes")]
    assert any(r[5] == "齿轮" for r in rows[2:]) and any(market["users"]["local"]["email"] in (r[6] or "")
                                                        for r in rows[2:])
    page_sign_in(client, market["users"]["official"])
    page = client.get(f"/rounds/{rid}/agenda?lang=zh").get_data(as_text=True)
    assert "@media print" in page and "1号桌" in page and page.index("变速箱壳体") > 0


@pytest.mark.parametrize("body, field", [
    ({"chains": ["no-such-chain"]}, "chains"),
    ({"date": "2027-02-30"}, "date"),
    ({"date": "next week"}, "date"),
    ({"title": ""}, "title"),
    ({"chains": []}, "chains"),
    ({"colour": "red"}, "colour"),
])
def test_bad_round_input_names_the_field_and_writes_nothing(client, db, market, body, field):
    full = {"title": "对接会", "date": "2027-03-15", "chains": ["nev"], **body}
    response = client.post(ROUNDS, json=full, headers=market["tokens"]["official"])
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"], response.get_json()
    assert round_repo.list_rounds(db) == []


def test_bad_pairs_name_the_row_and_add_nothing(client, db, market):
    rid = _new_round(client, market)["id"]
    rows = [{"demand_item_id": market["d1"]["id"], "supplier_id": market["local"]["id"]},
            {"demand_item_id": "D-nothing", "supplier_id": market["local"]["id"]},
            {"demand_item_id": market["d2"]["id"], "supplier_id": market["leader"]["id"]},
            {"demand_item_id": market["d2"]["id"], "supplier_id": market["remote"]["id"],
             "supply_item_id": market["offer"]["id"]}]
    response = _pairs(client, market, rid, rows)
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"pairs.1.demand_item_id", "pairs.2.supplier_id",
                                                           "pairs.3.supply_item_id"}
    assert round_repo.pairs_of(db, rid) == []
    assert engagement_repo.get(db, "x") is None and _engagements(db) == 0


def _engagements(db) -> int:
    return db.read(lambda tx: tx.run("MATCH (g:Engagement) RETURN count(g) AS n").single()["n"])


@pytest.mark.parametrize("body, field", [
    ({"outcome": "maybe"}, "outcome"),
    ({"outcome": "signed"}, "value"),
    ({"outcome": "signed", "value": -5, "quantity": 10, "start_date": "2027-01-01"}, "value"),
    ({"outcome": "signed", "value": 5, "quantity": 10, "start_date": "tomorrow"}, "start_date"),
    ({"outcome": "met", "value": 5}, "value"),
])
def test_bad_outcomes_name_the_field_and_change_nothing(client, db, market, body, field):
    rid = _new_round(client, market)["id"]
    pair = _pairs(client, market, rid, [{"demand_item_id": market["d1"]["id"],
                                         "supplier_id": market["local"]["id"]}]).get_json()["data"]["added"][0]
    before = (round_repo.get_pair(db, rid, pair["id"]), engagement_repo.get(db, pair["engagement_id"]))
    response = _outcome(client, market, rid, pair["id"], **body)
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"], response.get_json()
    assert (round_repo.get_pair(db, rid, pair["id"]), engagement_repo.get(db, pair["engagement_id"])) == before


def test_unknown_round_pair_and_a_stale_edit(client, db, market):
    official = market["tokens"]["official"]
    assert client.get(f"{ROUNDS}/R-nothing", headers=official).status_code == 404
    rid = _new_round(client, market)["id"]
    assert client.patch(f"{ROUNDS}/{rid}/pairs/RP-nothing", json={"outcome": "met"}, headers=official).status_code == 404
    changed = client.patch(f"{ROUNDS}/{rid}", json={"place": "天府国际会议中心", "version": 1}, headers=official)
    assert changed.status_code == 200 and changed.get_json()["data"]["version"] == 2
    stale = client.patch(f"{ROUNDS}/{rid}", json={"place": "别处", "version": 1}, headers=official)
    assert stale.status_code == 409 and round_repo.get(db, rid)["place"] == "天府国际会议中心"
    pair = _pairs(client, market, rid, [{"demand_item_id": market["d1"]["id"],
                                         "supplier_id": market["local"]["id"]}]).get_json()["data"]["added"][0]
    assert client.delete(f"{ROUNDS}/{rid}/pairs/{pair['id']}", headers=official).status_code == 200
    assert engagement_repo.get(db, pair["engagement_id"])["status"] == "invited"  # the invitation stays
    assert client.delete(f"{ROUNDS}/{rid}", headers=official).status_code == 200
    assert round_repo.get(db, rid) is None


def test_funnel_access_and_bad_filters(client, db, market):
    tokens = market["tokens"]
    assert client.get("/api/v1/engagements/funnel").status_code == 401
    assert client.get("/api/v1/engagements/funnel", headers=tokens["local"]).status_code == 403
    assert client.get(f"/api/v1/engagements/funnel?leader={market['remote']['id']}",
                      headers=tokens["leader"]).status_code == 403
    bad = client.get("/api/v1/engagements/funnel?chain=no-such", headers=tokens["official"])
    assert bad.status_code == 422 and "chain" in bad.get_json()["error"]["fields"]
    empty = client.get("/api/v1/engagements/funnel", headers=tokens["official"]).get_json()["data"]
    assert empty["funnel"]["engagements"] == 0


def test_an_officials_funnel_covers_the_chains_in_its_charge(client, db, market):
    leader_principal = Principal(market["users"]["leader"]["id"], "leader", market["leader"]["id"])
    engagement_service.invite(db, leader_principal, market["d1"]["id"], market["local"]["id"])
    official = market["users"]["official"]["id"]

    def in_charge(chains):
        db.write(lambda tx: tx.run("MATCH (u:User {id: $id}) SET u.chains = $chains", id=official,
                                   chains=chains).consume())

    def funnel(query=""):
        return client.get(f"/api/v1/engagements/funnel{query}", headers=market["tokens"]["official"])

    in_charge(["ic"])
    body = funnel().get_json()["data"]
    assert body["scope"]["chains"] == ["ic"] and body["funnel"]["engagements"] == 0
    assert funnel("?chain=nev").status_code == 403
    in_charge(["nev", "ic"])
    assert funnel().get_json()["data"]["funnel"]["engagements"] == 1
    in_charge([])  # none set: every chain
    assert funnel("?chain=nev").get_json()["data"]["by_chain"]["nev"]["stages"][0]["count"] == 1


def test_rounds_and_pairs_have_unique_keys(db):
    from graph import schema
    keys = {(c["label"], c["property"]) for c in schema.constraints(db) if c["type"] == "UNIQUENESS"}
    assert {("Round", "id"), ("RoundPair", "id")} <= keys


def test_the_new_round_form_shows_bad_input_in_the_page_language(client, db, market):
    import re
    page_sign_in(client, market["users"]["official"])
    form = client.get("/rounds/new?lang=zh").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    response = client.post("/rounds/new", data={"title": "对接会", "date": "2027-02-30", "chains": "nev",
                                                 "csrf_token": csrf})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "日期" in page and 'value="对接会"' in page
    response = client.post("/rounds/new", data={"title": "对接会", "date": "2027-02-28", "chains": "nope",
                                                 "csrf_token": csrf})
    assert response.status_code == 422 and "没有此编号的产业链" in response.get_data(as_text=True)
    assert round_repo.list_rounds(db) == []


def test_concurrent_adds_give_each_leader_its_own_table(db, market):
    import threading
    from datetime import date

    from matchmaker.docking import rounds as round_service

    made = round_service.create_round(db, SYSTEM, {"title": "并发", "date": date(2027, 1, 5), "chains": ["nev"]})
    leaders = [gen_enterprise(db, "leader") for _ in range(4)]
    demands = [_demand(db, leader["id"], f"需求{n}", 100.0) for n, leader in enumerate(leaders)]
    errors = []

    def add(demand):
        try:
            round_service.add_pairs(db, SYSTEM, made["id"], [{"demand_item_id": demand["id"],
                                                              "supplier_id": market["local"]["id"]}])
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=add, args=(d,)) for d in demands]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    pairs = round_repo.pairs_of(db, made["id"])
    assert sorted(p["table_no"] for p in pairs) == [1, 2, 3, 4]
