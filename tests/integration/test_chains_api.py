"""Read API and pages over the reference data on the real graph server."""
from __future__ import annotations

from graph.db import GraphDB
from graph.settings import GraphSettings

from tests.helpers import bearer, gen_token, gen_user


def test_chains_lists_17_with_segments_and_categories(client):
    body = client.get("/api/v1/chains").get_json()
    assert body["count"] == 17
    for chain in body["data"]:
        assert chain["segments"] >= 3 and chain["categories"] >= 12, chain["id"]
    targets = {c["id"]: c["localization_target"] for c in body["data"]}
    assert targets["nev"] == 0.40 and targets["rail"] == 0.50


def test_chain_detail_has_segments_categories_and_feeds(client):
    chain = client.get("/api/v1/chains/nev").get_json()["data"]
    assert [s["stage"] for s in chain["segments"]] == ["upstream", "midstream", "downstream"]
    category_ids = {c["id"] for s in chain["segments"] for c in s["categories"]}
    assert len(category_ids) >= 12
    assert chain["feeds"] and all(f["source"] in category_ids or f["target"] in category_ids
                                  for f in chain["feeds"])


def test_unknown_chain_is_404_in_the_one_error_shape(client):
    response = client.get("/api/v1/chains/no-such-chain")
    assert response.status_code == 404
    assert response.get_json() == {"error": {"code": "not_found", "fields": {},
                                             "message": "no chain with id 'no-such-chain'"}}


def test_health_reports_backend_agent_and_schema_to_officials_only(client, db):
    assert client.get("/api/v1/health").get_json() == {"status": "ok"}  # anonymous: no version to look up
    official = gen_user(db, role="official")
    body = client.get("/api/v1/health", headers=bearer(gen_token(db, official))).get_json()
    assert body["status"] == "ok"
    assert "ArcadeDB" in body["graph"]["agent"]
    assert body["graph"]["schema_version"] == body["graph"]["schema_latest"]


def test_health_and_ready_are_503_when_the_graph_is_down(tmp_path, monkeypatch):
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    from matchmaker import create_app

    down = GraphDB(GraphSettings(uri="bolt://127.0.0.1:9", user="neo4j", password="x"), retry_seconds=0.5)
    client = create_app({"TESTING": True, "GRAPH_DB": down}).test_client()
    response = client.get("/api/v1/health")
    assert response.status_code == 503 and response.get_json() == {"status": "unavailable"}
    response = client.get("/api/v1/ready")
    assert response.status_code == 503 and response.get_json() == {"status": "unavailable"}


def test_ready_when_the_schema_is_the_latest(client):
    response = client.get("/api/v1/ready")
    assert response.status_code == 200 and response.get_json() == {"status": "ready"}


def test_pages_when_the_graph_is_down_say_so(tmp_path, monkeypatch):
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    from matchmaker import create_app

    down = GraphDB(GraphSettings(uri="bolt://127.0.0.1:9", user="neo4j", password="x"), retry_seconds=0.5)
    response = create_app({"TESTING": True, "GRAPH_DB": down}).test_client().get("/")
    assert response.status_code == 503 and response.headers["Retry-After"]
    page = response.get_data(as_text=True)
    # The reader's words, not the connection's details (those go to the log: docs/OPERATIONS.md).
    assert "数据库暂时无法访问" in page and "127.0.0.1:9" not in page


def test_home_page_in_chinese_and_english(client):
    zh = client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).get_data(as_text=True)
    assert "重点产业链" in zh and "新能源汽车" in zh
    en = client.get("/?lang=en").get_data(as_text=True)
    assert "Key industry chains" in en and "New Energy Vehicles" in en


def test_chain_page_lists_stages(client):
    page = client.get("/chains/rail?lang=en").get_data(as_text=True)
    assert "What feeds what" in page and "→" in page
