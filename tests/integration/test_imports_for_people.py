"""Imports for non-technical users: Chinese headers, templates, generated ids, chain conflicts."""
from __future__ import annotations

import io

from graph import items as item_repo
from tests.helpers import bearer, firm_with_token, uid


def _post(client, token, kind, content: bytes, filename: str, **form):
    data = {"kind": kind, "file": (io.BytesIO(content), filename), **form}
    return client.post("/api/v1/imports", data=data, headers=bearer(token), content_type="multipart/form-data")


def test_a_file_with_chinese_headers_imports_through_the_api(client, db):
    firm, _, token = firm_with_token(db, "sme")
    item = uid("S")
    content = ("编号,企业编号,产品名称,产能,单位,状态\n"
               f"{item},{firm['id']},铝合金压铸壳体,\"3,000\",件,published\n").encode("utf-8-sig")
    response = _post(client, token, "supply", content, "供给清单.csv")
    assert response.status_code == 200, response.get_json()
    report = response.get_json()["data"]
    assert report["written"] == 1 and report["warnings"] == []
    stored = item_repo.get(db, "supply", item)
    assert stored["name"] == "铝合金压铸壳体" and stored["capacity"] == 3000


def test_item_rows_without_an_id_get_one_and_the_report_lists_them(client, db):
    firm, _, token = firm_with_token(db, "sme")
    known = uid("S")
    content = ("enterprise_id,name,id\n"
               f"{firm['id']},精密齿轮,\n"
               f"{firm['id']},液压阀块,{known}\n"
               f"{firm['id']},橡胶密封圈,\n").encode()
    report = _post(client, token, "supply", content, "supply.csv").get_json()["data"]
    assert report["written"] == 3 and report["errors"] == []
    generated = {g["row"]: g["id"] for g in report["generated_ids"]}
    assert set(generated) == {2, 4} and len(set(generated.values())) == 2
    assert item_repo.get(db, "supply", generated[2])["name"] == "精密齿轮"
    assert item_repo.get(db, "supply", generated[4])["enterprise_id"] == firm["id"]
    # no id column at all
    report = _post(client, token, "supply", f"企业编号,名称\n{firm['id']},轴承座\n".encode(), "s.csv").get_json()["data"]
    assert report["written"] == 1 and report["generated_ids"][0]["row"] == 2


def test_enterprises_still_need_their_id(client, db):
    from tests.helpers import gen_token, gen_user
    token = gen_token(db, gen_user(db, "official"))
    response = _post(client, token, "enterprises", "name,role,region\n好企业,sme,510116\n".encode(), "e.csv")
    assert response.status_code == 422
    assert "id" in response.get_json()["error"]["fields"]["file"][0]
    response = _post(client, token, "enterprises", "id,name,role,region\n,好企业,sme,510116\n".encode(), "e.csv")
    assert response.status_code == 422
    assert response.get_json()["data"]["errors"][0]["column"] == "id"


def _login(app, user, lang="en"):
    from tests.integration.test_import_page import Page
    return Page(app, user, lang)


def test_templates_import_back_unchanged(app, client, db):
    from io import BytesIO

    from openpyxl import load_workbook

    from tests.helpers import gen_token, gen_user
    sme, sme_user, sme_token = firm_with_token(db, "sme")
    leader, leader_user, leader_token = firm_with_token(db, "leader")
    official_token = gen_token(db, gen_user(db, "official"))
    for kind, user, token in (("supply", sme_user, sme_token), ("demand", leader_user, leader_token),
                              ("enterprises", gen_user(db, "official"), official_token)):
        page = _login(app, user)
        response = page.client.get(f"/imports/template/{kind}.xlsx")
        assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
        book = load_workbook(BytesIO(response.data))
        header = [c.value for c in book.worksheets[0][1]]
        assert "名称 name" in header
        codes = [tuple(c.value for c in row) for row in book.worksheets[1].iter_rows(min_row=2)]
        assert any(row[1] == "nev" for row in codes)
        report = _post(client, token, kind, response.data, f"template-{kind}.xlsx").get_json()["data"]
        assert report["errors"] == [] and report["written"] == 1 and report["warnings"] == [], (kind, report)
        if kind != "enterprises":
            item = item_repo.get(db, kind, report["generated_ids"][0]["id"])
            assert item["enterprise_id"] == user["enterprise_id"] and item["chain_id"] and item["category_id"]
    tiers = [row for row in codes if row[0].startswith("梯度")]
    assert ("srsn",) == tiers[2][1:2] and tiers[2][2] and tiers[2][3] and tiers[2][2] != tiers[2][3]


def test_the_import_page_links_templates_and_the_format_page(app, db):
    from tests.helpers import gen_user
    page = _login(app, gen_user(db, "official"), "zh")
    html = page.client.get("/imports").get_data(as_text=True)
    assert "/imports/template/supply.xlsx" in html and "/imports/format" in html and "模板" in html
    fmt = app.test_client().get("/imports/format")
    body = fmt.get_data(as_text=True)
    assert fmt.status_code == 200 and body.count("<table") >= 3 and "企业编号" in body
    assert app.test_client().get("/imports/template/people.xlsx").status_code == 404


def test_a_category_of_another_chain_is_a_row_error_naming_both(app, client, db):
    firm, user, token = firm_with_token(db, "sme")
    rotor = uid("S")
    content = ("id,enterprise_id,name,category,chain\n"
               f"{uid('S')},{firm['id']},转向架焊接构架,rail.bogie-castings,新能源汽车\n"
               f"{uid('S')},{firm['id']},转向架铸件,转向架铸锻件,nev\n"
               f"{uid('S')},{firm['id']},驱动电机定子,nev.drive-motor,nev\n"
               f"{rotor},{firm['id']},驱动电机转子,驱动电机,新能源汽车\n").encode()
    response = _post(client, token, "supply", content, "supply.csv")
    assert response.status_code == 422
    report = response.get_json()["data"]
    assert report["written"] == 0 and item_repo.count(db, "supply") == 0
    errors = {(e["row"], e["column"]): e["reason"] for e in report["errors"]}
    assert set(errors) == {(2, "category"), (3, "category")}
    assert "'rail.bogie-castings'" in errors[(2, "category")] and "'rail'" in errors[(2, "category")]
    assert "'新能源汽车'" in errors[(2, "category")]
    assert "'转向架铸锻件'" in errors[(3, "category")] and "'nev'" in errors[(3, "category")]

    accepted = _post(client, token, "supply", content, "supply.csv", mode="valid_rows").get_json()["data"]
    assert accepted["written"] == 2
    stored = item_repo.get(db, "supply", rotor)  # a category name in the row's chain resolves to its id
    assert stored["category_id"] == "nev.drive-motor" and stored["category_proposed"] is False

    page = _login(app, user, "zh")
    html = page.preview("supply", content, "supply.csv").get_data(as_text=True)
    assert "类别“rail.bogie-castings”属于产业链“rail”，而不属于本行的产业链“新能源汽车”" in html
    english = _login(app, user, "en").preview("supply", content, "supply.csv").get_data(as_text=True)
    assert "belongs to the chain &#39;rail&#39;" in english or "belongs to the chain 'rail'" in english


def test_an_unknown_category_in_a_given_chain_is_never_filed_under_another_chain(client, db):
    firm, _, token = firm_with_token(db, "sme")
    item = uid("S")
    content = ("id,enterprise_id,name,description,category,chain\n"
               f"{item},{firm['id']},速冻水饺,冷冻面点食品加工,点火线圈,nev\n").encode()
    report = _post(client, token, "supply", content, "supply.csv").get_json()["data"]
    assert report["errors"] == [] and report["written"] == 1
    assert item_repo.get(db, "supply", item)["chain_id"] == "nev"
