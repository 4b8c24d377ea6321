"""Fixtures: one real embedded graph server per test session, a clean database per test."""
from __future__ import annotations

import os
from dataclasses import replace

import pytest

# Tests run the app as the local demo does (a generated secret key); tests/security sets production itself.
os.environ.setdefault("MATCHMAKER_ENV", "development")

from graph.db import GraphDB
from graph.maintenance import clear_user_data
from graph.server import EmbeddedServer
from graph.settings import external_settings


@pytest.fixture(scope="session", autouse=True)
def compiled_kernels():
    """The BM25 kernels compiled (or loaded from numba's cache) once, before any test: on a fresh
    clone the first compile takes about 17 s, which a page test would count against its timeout."""
    from matchmaker.matching.lexical import warm_kernels
    warm_kernels()


@pytest.fixture(scope="session")
def graph_server(tmp_path_factory):
    """The embedded server in a temporary directory, or TEST_NEO4J_URI's server when set.

    TEST_GRAPH_ROUTING=1 reaches the embedded server by `neo4j://` (the routing protocol a
    cluster needs; the server's routing table names itself), not `bolt://` (`make test-routing`)."""
    if os.environ.get("TEST_NEO4J_URI"):
        yield external_settings({"NEO4J_URI": os.environ["TEST_NEO4J_URI"],
                                 "NEO4J_USER": os.environ.get("TEST_NEO4J_USER", "neo4j"),
                                 "NEO4J_PASSWORD": os.environ.get("TEST_NEO4J_PASSWORD", ""),
                                 "NEO4J_DATABASE": os.environ.get("TEST_NEO4J_DATABASE", "neo4j")})
        return
    server = EmbeddedServer(tmp_path_factory.mktemp("graph"))
    settings, _ = server.start()
    if os.environ.get("TEST_GRAPH_ROUTING") == "1":
        settings = replace(settings, uri=settings.uri.replace("bolt://", "neo4j://", 1))
    yield settings
    server.stop()


@pytest.fixture(scope="session")
def reference_db(graph_server):
    """A GraphDB with the schema and reference data loaded once per session."""
    from matchmaker.services.reference import init_db

    db = GraphDB(graph_server)
    init_db(db)
    yield db
    db.close()


@pytest.fixture
def db(reference_db):
    """The session's database with no user data: each test starts clean."""
    clear_user_data(reference_db)
    return reference_db


@pytest.fixture
def app(db, tmp_path, monkeypatch):
    monkeypatch.setenv("VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    from matchmaker import create_app

    return create_app({"TESTING": True, "GRAPH_DB": db, "HOME_REGION": "510100", "MATCH_BUILDER_THREAD": False,
                       "LIST_BUILDER_THREAD": False,  # lists answer from the graph unless a test builds
                       "MATCH_REFRESH_MS": 0,  # each test reads its own writes at once
                       "ALERT_BACKGROUND": False})  # alerts within the request: no thread outlives its test


@pytest.fixture
def client(app):
    return app.test_client()
