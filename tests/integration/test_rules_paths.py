"""Each domain rule (matchmaker.rules) through every input path: the JSON API, a page form and a file
import give the same refusal with the same message, and nothing stored changes."""
from __future__ import annotations

import csv
import io

import pytest
from markupsafe import escape

from graph import enterprises as enterprise_repo
from graph import items as item_repo
from matchmaker.rules import enterprise as enterprise_rules
from matchmaker.rules import items as item_rules
from matchmaker.rules import text, values
from tests.helpers import firm_with_token, gen_enterprise, gen_token, gen_user, bearer, uid
from tests.matrix_helpers import CSRF

LEADER_FIGURES = {"annual_procurement": 100, "local_procurement": 500}


class Paths:
    """One signed-in web client and one API token for a user, plus the three ways to send a record."""

    def __init__(self, app, db, user):
        self.db, self.client, self.token = db, app.test_client(), gen_token(db, user)
        self.client.get("/login?lang=en")
        csrf = CSRF.search(self.client.get("/login").get_data(as_text=True)).group(1)
        response = self.client.post("/login", data={"email": user["email"], "password": user["password"],
                                                    "csrf_token": csrf})
        assert response.status_code == 302

    def api(self, method: str, path: str, body: dict):
        return self.client.open(f"/api/v1{path}", method=method, json=body, headers=bearer(self.token))

    def form(self, path: str, fields: dict):
        csrf = CSRF.search(self.client.get(path).get_data(as_text=True)).group(1)
        data = {k: ";".join(v) if isinstance(v, list) else str(v) for k, v in fields.items() if v is not None}
        return self.client.post(path, data={**data, "csrf_token": csrf})

    def file(self, kind: str, record: dict):
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(record))
        writer.writeheader()
        writer.writerow({k: ";".join(v) if isinstance(v, list) else v for k, v in record.items()})
        return self.client.post("/api/v1/imports", headers=bearer(self.token), content_type="multipart/form-data",
                                data={"kind": kind, "file": (io.BytesIO(out.getvalue().encode()), f"{kind}.csv")})


def assert_refused_everywhere(paths: Paths, kind: str, record: dict, field: str, message: str) -> None:
    api_path, form_path = ("/enterprises", "/enterprises/new") if kind == "enterprises" else \
        (f"/{kind}-items", f"/{kind}/new")
    stored = (lambda: enterprise_repo.get(paths.db, record["id"])) if kind == "enterprises" else \
        (lambda: item_repo.get(paths.db, kind, record["id"]))
    api = paths.api("POST", api_path, record)
    assert api.status_code == 422, api.get_json()
    assert api.get_json()["error"]["fields"] == {field: [message]}
    page = paths.form(form_path, record)
    assert page.status_code == 422 and str(escape(message)) in page.get_data(as_text=True)
    imported = paths.file(kind, record)
    report = imported.get_json()["data"]
    assert imported.status_code == 422 and report["applied"] is False
    assert report["errors"] == [{"row": 2, "column": field, "reason": message}]
    assert stored() is None  # nothing was stored by any path


@pytest.fixture
def official(app, db):
    return Paths(app, db, gen_user(db, "official"))


def firm(role: str = "leader", **extra) -> dict:
    return {"id": uid("E"), "name": f"规则企业 {uid('')}", "role": role, "region": "510116", **extra}


@pytest.mark.parametrize(("record", "field", "message"), [
    (firm("sme", annual_procurement=100), "annual_procurement", enterprise_rules.NOT_A_LEADER),
    (firm("other", local_procurement=5), "local_procurement", enterprise_rules.NOT_A_LEADER),
    (firm(**LEADER_FIGURES), "local_procurement", enterprise_rules.LOCAL_OVER_TOTAL),
    (firm(certifications=["ISO9001@2026-13-45"]), "certifications", values.CERTIFICATION),
    (firm(certifications=[f"C{i}" for i in range(51)]), "certifications", values.TOO_MANY_CERTIFICATIONS),
    (firm(name="Acme\u202eexe.gpj"), "name", text.BIDI),
    (firm(name="Acme\x1bCorp"), "name", text.CONTROL),
    (firm(name="甲" * 201), "name", text.TOO_LONG[200]),
    (firm(description="x" * 5001), "description", text.TOO_LONG[5000]),
    (firm(role="boss"), "role", enterprise_rules.ROLE),
])
def test_enterprise_rules_on_every_path(official, record, field, message):
    assert_refused_everywhere(official, "enterprises", record, field, message)


def item(enterprise_id: str, **extra) -> dict:
    return {"id": uid("I"), "enterprise_id": enterprise_id, "name": f"规则产品 {uid('')}", **extra}


@pytest.mark.parametrize(("kind", "extra", "field", "message"), [
    ("supply", {"certifications": ["IATF16949@2026-13-45"]}, "certifications", values.CERTIFICATION),
    ("supply", {"certifications": [f"C{i}" for i in range(51)]}, "certifications", values.TOO_MANY_CERTIFICATIONS),
    ("supply", {"capacity": -5}, "capacity", values.AMOUNT),
    ("supply", {"unit": "件" * 21}, "unit", text.TOO_LONG[20]),
    ("supply", {"status": "closed"}, "status", item_rules.STATUS["supply"]),
    ("supply", {"name": "齿轮\u202e"}, "name", text.BIDI),
    ("demand", {"deadline": "2026-02-30"}, "deadline", values.DATE),
    ("demand", {"unit_price": 1e16}, "unit_price", values.AMOUNT),
    ("demand", {"required_certifications": ["AS9100D@2027-02-29"]}, "required_certifications",
     values.CERTIFICATION),
])
def test_item_rules_on_every_path(app, db, kind, extra, field, message):
    enterprise, user, _ = firm_with_token(db, "sme" if kind == "supply" else "leader")
    assert_refused_everywhere(Paths(app, db, user), kind, item(enterprise["id"], **extra), field, message)


@pytest.mark.parametrize(("kind", "owner_role"), [("demand", "sme"), ("demand", "other"), ("supply", "leader")])
def test_the_owner_must_have_the_lists_role_even_for_officials(official, db, kind, owner_role):
    owner = gen_enterprise(db, role=owner_role)
    assert_refused_everywhere(official, kind, item(owner["id"]), "enterprise_id", item_rules.OWNER[kind])


def test_other_firms_may_supply(official, db):
    owner = gen_enterprise(db, role="other")
    response = official.api("POST", "/supply-items", item(owner["id"]))
    assert response.status_code == 201


def test_a_refused_update_changes_nothing(official, db):
    leader = gen_enterprise(db, role="leader", annual_procurement=100, local_procurement=50)
    before = enterprise_repo.get(db, leader["id"])
    response = official.api("PATCH", f"/enterprises/{leader['id']}", {"local_procurement": 500})
    assert response.get_json()["error"]["fields"] == {"local_procurement": [enterprise_rules.LOCAL_OVER_TOTAL]}
    assert enterprise_repo.get(db, leader["id"]) == before
    response = official.api("PATCH", f"/enterprises/{leader['id']}", {"role": "sme"})  # it would keep figures
    assert response.get_json()["error"]["fields"] == {"annual_procurement": [enterprise_rules.NOT_A_LEADER],
                                                      "local_procurement": [enterprise_rules.NOT_A_LEADER]}
    assert enterprise_repo.get(db, leader["id"]) == before


@pytest.fixture
def cli(app, graph_server, monkeypatch):
    for name, value in {"NEO4J_URI": graph_server.uri, "NEO4J_USER": graph_server.user,
                        "NEO4J_PASSWORD": graph_server.password, "NEO4J_DATABASE": graph_server.database}.items():
        monkeypatch.setenv(name, value)
    return app.test_cli_runner()


def test_the_cli_import_and_create_user_apply_the_same_rules(cli, db, tmp_path):
    record = firm("sme", annual_procurement=100)
    path = tmp_path / "firms.csv"
    path.write_text(",".join(record) + "\n" + ",".join(str(v) for v in record.values()) + "\n", encoding="utf-8")
    result = cli.invoke(args=["import", "--kind", "enterprises", str(path)])
    assert result.exit_code == 1
    assert f"rejected: row 2, column annual_procurement: {enterprise_rules.NOT_A_LEADER}" in result.output
    assert enterprise_repo.get(db, record["id"]) is None
    result = cli.invoke(args=["create-user", "--email", "x@example.cn", "--password", "long-enough\x01pw",
                              "--role", "official"])
    assert result.exit_code != 0 and text.CONTROL in result.output


def test_an_official_curates_a_firms_list_through_the_form_and_is_recorded(app, db):
    official_user = gen_user(db, "official")
    paths = Paths(app, db, official_user)
    owner = gen_enterprise(db, role="sme")
    assert 'name="enterprise_id"' in paths.client.get("/supply/new").get_data(as_text=True)
    record = item(owner["id"], certifications=["ISO9001"])
    response = paths.form("/supply/new", record)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    stored = item_repo.get(db, "supply", record["id"])
    assert stored["enterprise_id"] == owner["id"]
    assert [(h["actor"], h["action"]) for h in item_repo.history(db, "supply", record["id"])] == \
        [(official_user["email"], "create")]
