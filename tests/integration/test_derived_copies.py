"""Items keep copies of their firm's names, locality, tier and certifications (graph.derived):
every path that changes the firm updates every item at once, in the graph and in the lists."""
from __future__ import annotations

from graph import items as item_repo
from matchmaker.services.imports import import_file
from tests.helpers import HOME, SYSTEM, bearer, gen_enterprise, gen_token, gen_user
from matchmaker.services.items import create_item


def _listed(client, **args) -> set[str]:
    body = client.get("/api/v1/supply-items", query_string={"per_page": 200, **args}).get_json()
    return {i["id"] for i in body["data"]}


def _firm_with_items(db, n: int = 3) -> tuple[dict, list[str]]:
    firm = gen_enterprise(db, "sme", region="510116", name="蓉城精密机械有限公司", name_en="Rongcheng Precision")
    ids = [create_item(db, SYSTEM, "supply", {"enterprise_id": firm["id"], "name": f"精密齿轮{n}号"}, HOME)["id"]
           for n in range(n)]
    return firm, ids


def test_renaming_a_firm_and_changing_its_region_tier_and_certifications_updates_every_item(client, db):
    firm, ids = _firm_with_items(db)
    assert _listed(client, q="蓉城精密") == set(ids) and _listed(client, local="true") >= set(ids)
    token = gen_token(db, gen_user(db, "admin"))
    response = client.patch(f"/api/v1/enterprises/{firm['id']}", headers=bearer(token), json={
        "name": "沪上精工股份有限公司", "name_en": "Hushang Precision Works", "region": "上海市嘉定区",
        "tier": "little_giant", "certifications": ["IATF16949@2030-01-01"]})
    assert response.status_code == 200, response.get_json()

    for item_id in ids:
        item = item_repo.get(db, "supply", item_id)
        assert (item["local"], item["tier"], item["enterprise_certifications"]) == \
            (False, "little_giant", ["IATF16949@2030-01-01"])
        assert "沪上精工" in item["search"] and "hushang precision" in item["search"]
        assert "蓉城" not in item["search"] and "rongcheng" not in item["search"]
        assert "精密齿轮" in item["search"]
    assert _listed(client, q="沪上精工") == set(ids) == _listed(client, q="Hushang")
    assert _listed(client, q="蓉城精密") == set() == _listed(client, q="rongcheng")
    assert not _listed(client, local="true") & set(ids)
    assert _listed(client, local="false", tier="little_giant", certification="IATF16949") == set(ids)


def test_an_enterprise_import_updates_its_items_copies(client, db):
    firm, ids = _firm_with_items(db, 2)
    header = "id,name,name_en,role,region,tier,certifications\n"
    row = f"{firm['id']},新名字科技有限公司,New Name Tech,sme,成都市双流区,champion,ISO9001\n"
    report = import_file(db, "enterprises", (header + row).encode(), "firms.csv", home_region=HOME)
    assert report.applied, report.as_dict()
    assert _listed(client, q="新名字科技") == set(ids) and _listed(client, q="蓉城精密") == set()
    assert _listed(client, tier="champion", certification="iso9001", local="true") == set(ids)


def test_a_new_item_copies_its_firm_at_once(client, db):
    firm, ids = _firm_with_items(db, 1)
    item = item_repo.get(db, "supply", ids[0])
    assert item["search"] == "精密齿轮0号  蓉城精密机械有限公司 rongcheng precision"
    assert (item["enterprise_id"], item["local"], item["tier"]) == (firm["id"], True, firm["tier"])
