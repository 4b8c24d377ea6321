"""What the API answers where the OpenAPI document makes a promise (found by schemathesis,
tests/security/test_api_fuzz.py): 405 names the allowed methods, a token is asked for before
the input is read, JSON booleans are booleans, and the document states the input rules."""
from __future__ import annotations

import re

import pytest

from matchmaker.api.openapi import IF_MATCH
from matchmaker.rules.text import STORABLE_PATTERN, text_problem
from tests.helpers import bearer, gen_enterprise, gen_token, gen_user

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def spec(client) -> dict:
    return client.get("/api/v1/openapi.json").get_json()


@pytest.fixture
def official_token(db) -> str:
    return gen_token(db, gen_user(db, "official"))


def test_a_405_names_the_methods_the_address_takes(client, spec):
    for path, item in spec["paths"].items():
        if "{" in path:
            continue
        refused = sorted(METHODS - set(item))[0]
        response = client.open(path, method=refused.upper())
        assert response.status_code == 405, path
        allowed = {m.strip().lower() for m in response.headers["Allow"].split(",")}
        assert set(item) <= allowed, path
        assert response.get_json()["error"]["code"] == "method_not_allowed"


@pytest.mark.parametrize("method, path, body", [
    ("POST", "/api/v1/engagements", {"demand_item_id": "", "supplier_id": ""}),
    ("POST", "/api/v1/rounds/R-x/pairs", {"pairs": [{"demand_item_id": ""}]}),
    ("POST", "/api/v1/rounds", {"title": 3}),
    ("PATCH", "/api/v1/account", {"alerts_enabled": "maybe"}),
    ("DELETE", "/api/v1/supply-items/S-does-not-exist", None),
    ("PATCH", "/api/v1/demand-items/D-does-not-exist", {"name": ""}),
])
def test_a_token_is_asked_for_before_the_input_is_read(client, method, path, body):
    response = client.open(path, method=method, json=body)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize("path, body", [
    ("/api/v1/account", {"alerts_enabled": 0}), ("/api/v1/account", {"alerts_enabled": "yes"}),
    ("/api/v1/account", {"alerts_enabled": None}),
])
def test_a_json_boolean_is_true_or_false(client, official_token, path, body):
    response = client.patch(path, json=body, headers=bearer(official_token))
    assert response.status_code == 422
    assert "alerts_enabled" in response.get_json()["error"]["fields"]
    assert client.patch(path, json={"alerts_enabled": False}, headers=bearer(official_token)).status_code == 200


@pytest.mark.parametrize("body", [{"all": 1}, {"all": "true"}, {"ids": "n-1"}])
def test_mark_read_refuses_what_its_schema_refuses(client, official_token, body):
    response = client.post("/api/v1/notifications/read", json=body, headers=bearer(official_token))
    assert response.status_code == 422


@pytest.mark.parametrize("segment, status", [("nev", 422), ("nev.upstream", 200), ("a\x01.b", 422)])
def test_a_segment_id_names_its_chain(client, segment, status):
    response = client.get("/api/v1/supply-items", query_string={"segment": segment})
    assert response.status_code == status
    if status == 422 and "\x01" not in segment:
        assert response.get_json()["error"]["fields"]["segment"] == ["a segment id looks like 'nev.upstream'"]


@pytest.mark.parametrize("header, status", [("nonsense", 422), ('"3"', 409), ("W/\"1\"", 200), ("*", 200)])
def test_if_match_is_read_as_the_document_says(client, db, header, status):
    firm = gen_enterprise(db, "sme")
    token = gen_token(db, gen_user(db, "sme", enterprise_id=firm["id"]))
    made = client.post("/api/v1/supply-items", json={"name": "铝压铸件"}, headers=bearer(token))
    assert made.status_code == 201 and made.headers["ETag"] == '"1"'
    response = client.patch(f"/api/v1/supply-items/{made.get_json()['data']['id']}", json={"unit": "件"},
                            headers={**bearer(token), "If-Match": header})
    assert response.status_code == status
    assert bool(re.fullmatch(IF_MATCH, header)) == (status != 422)


def test_an_item_whose_chain_is_too_long_is_a_422_not_a_500(client, db):
    firm = gen_enterprise(db, "sme")
    token = gen_token(db, gen_user(db, "sme", enterprise_id=firm["id"]))
    response = client.post("/api/v1/supply-items", json={"name": "铝压铸件", "chain": "0" * 61}, headers=bearer(token))
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"]["chain"] == ["too long: at most 60 characters"]


def test_a_sign_up_name_is_one_line_as_documented(client, spec):
    body = spec["paths"]["/api/v1/auth/signup"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    pattern = _schema(spec, body)["properties"]["name"]["pattern"]
    assert not re.search(pattern, "a\rb")
    response = client.post("/api/v1/auth/signup", json={"email": "x@example.cn", "password": "long-enough-1",
                                                         "role": "sme", "name": "a\rb"})
    assert response.status_code == 422 and "name" in response.get_json()["error"]["fields"]


def _schema(spec: dict, node: dict) -> dict:
    while "$ref" in node:
        node = spec["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def test_every_request_string_states_the_characters_it_may_carry(spec):
    for path, item in spec["paths"].items():
        for method, op in item.items():
            for parameter in op.get("parameters", []):
                schema = parameter["schema"]
                if parameter["in"] == "query" and schema.get("type") == "string" and "enum" not in schema:
                    assert "pattern" in schema, f"{method} {path} ?{parameter['name']}"
    lang = next(p for p in spec["paths"]["/api/v1/supply-items"]["get"]["parameters"] if p["name"] == "lang")
    assert lang["schema"]["pattern"] == STORABLE_PATTERN
    assert not re.search(STORABLE_PATTERN, "en\x00") and re.search(STORABLE_PATTERN, "多行\n文本")


def test_record_fields_carry_their_rules(spec):
    body = spec["paths"]["/api/v1/enterprises"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    fields = _schema(spec, body)["properties"]
    assert fields["region"]["minLength"] == 1 and fields["region"]["maxLength"] == 120
    for value in ("成都", "a\tb", "x\u202ey", "a\x85b"):
        assert bool(re.search(fields["name"]["pattern"], value)) == (text_problem(value, 200, name=True) is None)
    assert bool(re.search(fields["description"]["pattern"], "two\nlines"))
    engagement = spec["paths"]["/api/v1/engagements/{engagement_id}"]["patch"]
    patch = _schema(spec, engagement["requestBody"]["content"]["application/json"]["schema"])
    assert patch["properties"]["value"]["exclusiveMinimum"] is True


def test_data_dependent_422s_are_documented_and_201s_link_to_their_resource(spec):
    rounds = spec["paths"]["/api/v1/rounds"]["post"]["responses"]
    assert "no chain has the id or name given" in rounds["422"]["description"]
    assert set(rounds["201"]["links"]) >= {"get_round", "change_round", "delete_round", "add_pairs"}
    assert rounds["201"]["links"]["get_round"]["parameters"] == {"round_id": "$response.body#/data/id"}
    pairs = spec["paths"]["/api/v1/rounds/{round_id}/pairs"]["post"]["responses"]["201"]["links"]
    assert {"round_id": "$request.path.round_id", "pair_id": "$response.body#/data/added/0/id"} in \
        [link["parameters"] for link in pairs.values()]
    items = spec["paths"]["/api/v1/supply-items"]["post"]["responses"]["201"]["links"]
    assert items["supply_patch_item"]["parameters"]["If-Match"] == "$response.header.ETag"
    signup = spec["paths"]["/api/v1/auth/signup"]["post"]["responses"]["201"]["links"]
    assert list(signup) == ["approve_user", "reject_user"]
