"""/api/v1/health tells anonymous callers only whether it is up; /api/v1/ready whether it can serve."""
from __future__ import annotations

from graph import schema
from tests.helpers import bearer, gen_token, gen_user


def test_anonymous_health_names_no_software(client):
    response = client.get("/api/v1/health")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
    assert "ArcadeDB" not in response.get_data(as_text=True) and "Neo4j" not in response.get_data(as_text=True)


def test_firms_get_no_details_and_managers_do(client, db):
    for role, detailed in (("sme", False), ("leader", False), ("official", True), ("admin", True)):
        body = client.get("/api/v1/health", headers=bearer(gen_token(db, gen_user(db, role=role)))).get_json()
        assert ("graph" in body) == detailed, role


def test_an_unknown_token_is_refused_not_answered_as_anonymous(client):
    response = client.get("/api/v1/health", headers=bearer("not-a-token"))
    assert response.status_code == 401


def test_ready_needs_the_latest_schema(client, monkeypatch):
    assert client.get("/api/v1/ready").status_code == 200
    monkeypatch.setattr(schema, "LATEST", schema.LATEST + 1)  # this code expects a newer schema than stored
    response = client.get("/api/v1/ready")
    assert response.status_code == 503 and response.get_json() == {"status": "unavailable"}


def test_ready_takes_no_arguments_and_no_writes(client):
    assert client.get("/api/v1/ready?verbose=1").get_json() == {"status": "ready"}
    assert client.post("/api/v1/ready").status_code == 405
