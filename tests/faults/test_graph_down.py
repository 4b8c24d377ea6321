"""The graph server goes away (stopped, or killed with -9) and comes back.

Pages and the API answer 503 in the reader's words, never naming the server's address, within a few
seconds; the same app object answers 200 again once the server is back, without a restart.
"""
from __future__ import annotations

import re
import time

import pytest

from graph.db import GraphDB
from matchmaker.services.reference import init_db
from tests.helpers import gen_user

from .servers import kill_hard, own_server

RETRY_SECONDS = 2.0  # the app's GraphDB gives up on a lost server after this
FAST = 6.0           # no answer may take longer, retries included
# A JVM just started (and a database recovered after kill -9) answers its first queries slowly on
# this shared 2-core machine (measured up to 12 s): the server's warm-up, not the app waiting.
COLD = 40.0

ZH = "数据库暂时无法访问，请稍后再试。"
EN = "The database cannot be reached right now; try again in a minute."


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = own_server(tmp_path_factory.mktemp("graph-down"))
    db = GraphDB(server.settings)
    init_db(db)
    db.close()
    yield server
    server.stop()


@pytest.fixture
def client(server, tmp_path, monkeypatch):
    monkeypatch.setenv("VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    from matchmaker import create_app

    # Settings read anew after a failure, as the app's own GraphDB does (a restarted server has a new port).
    db = GraphDB(server.settings, retry_seconds=RETRY_SECONDS)
    app = create_app({"TESTING": True, "GRAPH_DB": db, "HOME_REGION": "510100", "MATCH_BUILDER_THREAD": False,
                      "MATCH_REFRESH_MS": 0, "ALERT_BACKGROUND": False})
    client = app.test_client()
    client.db = db
    yield client
    db.close()


def timed(client, path: str, limit: float = FAST, **kwargs):
    started = time.monotonic()
    response = client.get(path, **kwargs)
    elapsed = time.monotonic() - started
    assert elapsed < limit, f"{path} took {elapsed:.1f} s"
    return response


def assert_down(client, server) -> None:
    state_uri = "127.0.0.1"
    zh = timed(client, "/", headers={"Accept-Language": "zh-CN"})
    assert zh.status_code == 503
    assert ZH in zh.get_data(as_text=True)
    en = timed(client, "/", headers={"Accept-Language": "en"})
    assert en.status_code == 503
    assert EN in en.get_data(as_text=True)
    api = timed(client, "/api/v1/chains")
    assert api.status_code == 503
    assert api.get_json()["error"]["code"] == "graph_unavailable"
    assert api.get_json()["error"]["message"] == EN
    for response in (zh, en, api):
        assert int(response.headers["Retry-After"]) > 0
        body = response.get_data(as_text=True)
        assert state_uri not in body and "bolt" not in body.lower()  # no address shown to callers


def assert_up(client, limit: float = FAST) -> None:
    assert timed(client, "/", limit, headers={"Accept-Language": "en"}).status_code == 200
    assert timed(client, "/api/v1/chains").status_code == 200


def test_stopped_server_gives_503_and_the_app_recovers(client, server):
    assert_up(client)  # the driver is connected before the server goes
    server.stop()
    try:
        assert_down(client, server)
    finally:
        server.start()
    assert_up(client, COLD)
    assert_up(client)


def test_killed_server_gives_503_and_the_app_recovers(client, server):
    assert_up(client)
    kill_hard(server)
    try:
        assert_down(client, server)
        assert_down(client, server)  # again: a failure must not leave the app stuck or slower
    finally:
        server.start()
    assert_up(client, COLD)
    assert_up(client)


def test_a_server_restarted_while_no_request_came_is_found_by_the_next_one(client, server):
    assert_up(client)
    kill_hard(server)
    server.start()  # a new port: the driver still points at the old one
    assert_up(client, COLD + RETRY_SECONDS)  # answered, not 503: the app looks the server up again
    assert_up(client)


def test_a_signed_in_reader_gets_the_503_page_too(client, server):
    user = gen_user(client.db, "official")
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    signed_in = client.post("/login", data={"email": user["email"], "password": user["password"], "csrf_token": token})
    assert signed_in.status_code == 302
    server.stop()  # loading the session's account now fails too, and the page's header asks for it
    try:
        response = timed(client, "/", headers={"Accept-Language": "zh-CN"})
    finally:
        server.start()
    assert response.status_code == 503 and ZH in response.get_data(as_text=True)
    assert_up(client, COLD)


def test_the_cause_goes_to_the_log(client, server, caplog):
    server.stop()
    try:
        client.get("/api/v1/chains")
    finally:
        server.start()
    logged = " ".join(r.getMessage() for r in caplog.records if "graph unavailable" in r.getMessage())
    assert "not running" in logged or "127.0.0.1" in logged
