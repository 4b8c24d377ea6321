"""The OpenAPI document at /api/v1/openapi.json and the reference page at /api/v1/docs."""
from __future__ import annotations

import re
import warnings

import pytest

from matchmaker.api.openapi import OPERATIONS, api_routes, build_spec, spec_for, undocumented
from matchmaker.schemas.enterprises import EnterpriseLoad
from matchmaker.schemas.items import ItemListQuery, SupplyItemLoad
from matchmaker.services.items import STATUSES

METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@pytest.fixture
def spec(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def _resolve(spec: dict, ref: str):
    assert ref.startswith("#/"), f"{ref} points outside the document"
    node = spec
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        assert isinstance(node, dict) and part in node, f"{ref} does not resolve"
        node = node[part]
    return node


def _refs(node):
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _deref(spec: dict, node: dict) -> dict:
    while "$ref" in node:
        node = _resolve(spec, node["$ref"])
    return node


def test_the_document_is_openapi_3_and_every_ref_resolves(spec):
    assert spec["openapi"] == "3.0.3"
    assert spec["info"]["title"] and spec["info"]["version"]
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": "a token from POST /api/v1/auth/token"}
    operation_ids = []
    for path, item in spec["paths"].items():
        assert path.startswith("/api/v1/")
        for method, op in item.items():
            assert method in METHODS and op["summary"] and op["tags"]
            assert op["responses"], f"{method} {path} has no responses"
            for status, response in op["responses"].items():
                assert status == "default" or re.fullmatch(r"[1-5]\d\d", status)
                assert _deref(spec, response)["description"]
            declared = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
            assert declared == set(re.findall(r"{(\w+)}", path)), f"{method} {path}: path parameters"
            operation_ids.append(op["operationId"])
    assert len(operation_ids) == len(set(operation_ids))
    refs = list(_refs(spec))
    assert refs
    for ref in refs:
        _resolve(spec, ref)


def test_every_api_route_is_in_the_table_and_the_document(app, spec):
    assert undocumented(app) == [], "add these routes to OPERATIONS in matchmaker/api/openapi.py"
    routes = {f"{method} {rule}" for method, rule, _ in api_routes(app)}
    assert set(OPERATIONS) - routes == set(), "OPERATIONS describes routes that do not exist"
    documented = {(method.upper(), path) for path, item in spec["paths"].items() for method in item}
    in_url_map = {(method, "/api/v1" + re.sub(r"<(?:[^:>]+:)?(\w+)>", r"{\1}", rule))
                  for method, rule, _ in api_routes(app)}
    assert documented == in_url_map
    assert not any(op.get("x-undocumented") for item in spec["paths"].values() for op in item.values())


def test_the_document_is_built_once_and_without_name_clashes(app):
    with app.app_context():
        assert spec_for(app) is spec_for(app)
    with warnings.catch_warnings():
        warnings.simplefilter("error")   # apispec warns when two schemas resolve to one name
        build_spec(app)


def test_the_supply_item_body_lists_the_schema_fields_and_constraints(spec):
    body = spec["paths"]["/api/v1/supply-items"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    schema = _deref(spec, body)
    loaded = {name for name, f in SupplyItemLoad().fields.items() if not f.dump_only}
    assert set(schema["properties"]) == loaded
    assert set(schema.get("required", [])) == {n for n, f in SupplyItemLoad().fields.items() if f.required}
    assert schema["properties"]["status"]["enum"] == list(STATUSES["supply"])
    assert schema["properties"]["capacity"]["minimum"] == 0 and schema["properties"]["capacity"]["nullable"]
    assert schema["properties"]["name"]["minLength"] == 1
    assert schema["additionalProperties"] is False     # unknown fields are refused
    patch = spec["paths"]["/api/v1/supply-items/{item_id}"]["patch"]["requestBody"]["content"]["application/json"]
    assert "required" not in _deref(spec, patch["schema"])


def test_required_fields_of_a_load_schema_are_listed(spec):
    body = spec["paths"]["/api/v1/enterprises"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    required = {name for name, f in EnterpriseLoad().fields.items() if f.required}
    assert required >= {"id", "name", "role", "region"}
    assert set(_deref(spec, body)["required"]) == required


def test_list_queries_become_parameters_and_lists_have_paging(spec):
    op = spec["paths"]["/api/v1/supply-items"]["get"]
    params = {p["name"]: p for p in op["parameters"] if p["in"] == "query"}
    assert set(params) == set(ItemListQuery().fields)
    assert params["per_page"]["schema"]["maximum"] == 200 and params["page"]["schema"]["minimum"] == 1
    page = _deref(spec, op["responses"]["200"]["content"]["application/json"]["schema"])
    assert {"data", "total", "page", "per_page"} <= set(page["required"])
    assert page["properties"]["data"]["items"] == {"$ref": "#/components/schemas/ItemDump"}
    assert "422" in op["responses"] and "401" in op["responses"]


def test_errors_share_one_shape(spec):
    error = spec["components"]["schemas"]["Error"]["properties"]["error"]
    assert error["required"] == ["code", "message", "fields"]
    for path, item in spec["paths"].items():
        for method, op in item.items():
            for status, response in op["responses"].items():
                if status.startswith("4"):
                    schema = _deref(spec, response)["content"]["application/json"]["schema"]
                    assert {"$ref": "#/components/schemas/Error"} in [schema, *schema.get("oneOf", [])], \
                        f"{method} {path} {status}"


def test_a_real_422_has_the_documented_shape(client, spec):
    response = client.post("/api/v1/auth/token", json={"email": "not an email"})
    assert response.status_code == 422
    body = response.get_json()
    assert set(body) == set(spec["components"]["schemas"]["Error"]["required"])
    assert set(body["error"]) == {"code", "message", "fields"}
    assert set(body["error"]["fields"]) >= {"email", "password"}


def test_security_imports_and_downloads(spec):
    paths = spec["paths"]
    assert paths["/api/v1/supply-items"]["post"]["security"] == [{"bearerAuth": []}]
    assert {} in paths["/api/v1/supply-items"]["get"]["security"]          # a token is optional
    assert "security" not in paths["/api/v1/auth/token"]["post"]
    form = paths["/api/v1/imports"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert {"kind", "file", "mode", "dry_run"} <= set(form["properties"]) and "csrf_token" not in form["properties"]
    assert form["properties"]["file"]["format"] == "binary" and {"kind", "file"} <= set(form["required"])
    for path in ("/api/v1/exports/{kind}", "/api/v1/editions/{edition_id}/download"):
        ok = paths[path]["get"]["responses"]["200"]
        assert "text/csv" in ok["content"] and "Content-Disposition" in ok["headers"]
        assert any(p["name"] == "format" and p["in"] == "query" for p in paths[path]["get"]["parameters"])


def test_the_reference_page_renders_in_chinese_and_english(app, spec):
    zh = app.test_client().get("/api/v1/docs", headers={"Accept-Language": "zh-CN"})
    assert zh.status_code == 200
    page = zh.get_data(as_text=True)
    assert "API 接口文档" in page and "新建供给产品" in page and "需要令牌" in page
    en = app.test_client().get("/api/v1/docs?lang=en")
    assert en.status_code == 200
    page = en.get_data(as_text=True)
    assert "API reference" in page and "Create a supply item" in page
    assert "/api/v1/auth/token" in page and "Authorization: Bearer" in page
    assert "cdn" not in page.lower() and "<script" not in page
    for item in spec["paths"].values():
        for op in item.values():
            assert f'id="{op["operationId"]}"' in page
    for name in spec["components"]["schemas"]:
        assert f'id="schema-{name}"' in page


def test_the_matching_operations_are_described(app, spec):
    paths = spec["paths"]
    matches = paths["/api/v1/demand-items/{item_id}/matches"]["get"]
    assert {p["name"] for p in matches["parameters"] if p["in"] == "query"} == \
        {"limit", "local_only", "tier", "certification"}
    listed = _deref(spec, matches["responses"]["200"]["content"]["application/json"]["schema"])
    row = _deref(spec, listed["properties"]["data"]["items"])
    assert {"enterprise", "supply_items", "score", "components", "missing_certifications"} <= set(row["properties"])
    assert matches["security"] == [{"bearerAuth": []}] and {"401", "403", "404", "422"} <= set(matches["responses"])
    opportunities = paths["/api/v1/enterprises/{enterprise_id}/opportunities"]["get"]
    listed = _deref(spec, opportunities["responses"]["200"]["content"]["application/json"]["schema"])
    assert {"demand_item", "supply_item"} <= set(_deref(spec, listed["properties"]["data"]["items"])["properties"])
    feedback = paths["/api/v1/demand-items/{item_id}/matches/{enterprise_id}/feedback"]["post"]
    body = _deref(spec, feedback["requestBody"]["content"]["application/json"]["schema"])
    assert body["properties"]["verdict"]["enum"] == ["confirm", "dismiss"] and body["required"] == ["verdict"]
    assert "201" in feedback["responses"]
    page = app.test_client().get("/api/v1/docs?lang=zh").get_data(as_text=True)
    assert "供需匹配" in page and "确认或否决推荐的供应商" in page
