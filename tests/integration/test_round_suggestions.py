"""A round's suggested pairs come from the matching engine (local suppliers only), and ticked ones
become pairs through the round page's form."""
from __future__ import annotations

from tests.helpers import page_sign_in

import re
from datetime import date

from graph import rounds as round_repo
from matchmaker.docking import round_agenda
from matchmaker.docking import rounds as round_service
from matchmaker.services.permissions import Principal
from tests.helpers import bearer, firm_with_token, gen_user

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _item(client, token, path, **body):
    response = client.post(path, json=body, headers=bearer(token))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["data"]


def test_suggested_local_suppliers_can_be_ticked_into_pairs(app, client, db):
    _, _, leader_token = firm_with_token(db, "leader")
    demand = _item(client, leader_token, "/api/v1/demand-items", name="车规级IGBT模块 750V",
                   description="主驱逆变器用IGBT功率模块，750V 820A，双面散热", quantity=10000, unit="pcs",
                   unit_price=1200)
    local, _, local_token = firm_with_token(db, "sme", region="510116")
    far, _, far_token = firm_with_token(db, "sme", region="310115")
    for token in (local_token, far_token):
        _item(client, token, "/api/v1/supply-items", name="IGBT功率模块 750V 820A 车规级",
              description="双面散热IGBT模块，主驱逆变器", capacity=50000, unit="pcs")
    official = gen_user(db, "official")
    who = Principal(official["id"], "official", None, official["email"])
    made = round_service.create_round(db, who, {"title": "IGBT 专场", "date": date(2027, 5, 1),
                                                "chains": [demand["chain_id"]]})

    found = round_agenda.suggestions(db, app.extensions["matching"], who, made["id"])
    suppliers = {s["supplier_id"] for s in found if s["demand_item_id"] == demand["id"]}
    assert local["id"] in suppliers and far["id"] not in suppliers

    page_sign_in(client, official)
    page = client.get(f"/rounds/{made['id']}?suggest=1&lang=en").get_data(as_text=True)
    pick = next(s for s in found if s["supplier_id"] == local["id"])
    value = f"{pick['demand_item_id']}|{pick['supplier_id']}|{pick['supply_item_id'] or ''}"
    assert f'value="{value}"' in page
    response = client.post(f"/rounds/{made['id']}/pairs", data={"pick": value,
                                                                 "csrf_token": CSRF.search(page).group(1)})
    assert response.status_code == 302
    pairs = round_repo.pairs_of(db, made["id"])
    assert [(p["demand_id"], p["supplier_id"], p["supply_item_id"]) for p in pairs] == [
        (demand["id"], local["id"], pick["supply_item_id"])]
    again = round_agenda.suggestions(db, app.extensions["matching"], who, made["id"])
    assert (demand["id"], local["id"]) not in {(s["demand_item_id"], s["supplier_id"]) for s in again}
