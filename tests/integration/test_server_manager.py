"""The embedded server manager against real JVMs: start, stop, restart and failure modes."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph.db import GraphDB, one
from graph.errors import GraphServerError, GraphUnavailable
from graph.server import EmbeddedServer
from graph.settings import GraphSettings

PROJECT = Path(__file__).resolve().parents[2]


def _write_marker(db: GraphDB, value: str) -> None:
    db.write(lambda tx: tx.run("CREATE (:Marker {value: $v})", v=value).consume())


def _read_markers(db: GraphDB) -> list[str]:
    return [r["v"] for r in db.read(lambda tx: tx.run("MATCH (m:Marker) RETURN m.value AS v").data())]


@pytest.fixture
def server(tmp_path):
    srv = EmbeddedServer(tmp_path / "graph")
    yield srv
    srv.stop()


def test_start_is_idempotent_and_stop_stops(server):
    settings, started = server.start()
    again, started_again = server.start()
    assert started and not started_again
    assert again.uri == settings.uri
    assert oct(server.credentials_file.stat().st_mode & 0o777) == "0o600"
    assert "ArcadeDB" in GraphDB(settings).server_agent()
    assert server.stop() is True
    assert server.status() is None
    assert server.stop() is False


def test_data_survives_restart_and_crash(server):
    settings, _ = server.start()
    db = GraphDB(settings)
    _write_marker(db, "before-restart")
    db.close()
    server.stop()

    settings, _ = server.start()
    db = GraphDB(settings)
    _write_marker(db, "before-crash")
    db.close()
    os.kill(server.status().pid, signal.SIGKILL)  # a crash: no clean shutdown
    time.sleep(1)

    assert server.status() is None  # the stale pid file is recognised and removed
    settings, started = server.start()
    assert started
    db = GraphDB(settings)
    assert sorted(_read_markers(db)) == ["before-crash", "before-restart"]
    db.close()


def test_stale_pid_file_of_a_dead_process_is_recovered(server):
    server.data_dir.mkdir(parents=True)
    server.state_file.write_text(json.dumps({"pid": 999_999, "bolt_port": 1, "http_port": 2,
                                             "database": "matchmaker"}))
    assert server.status() is None
    assert not server.state_file.exists()
    settings, started = server.start()
    assert started and GraphDB(settings).server_agent()


def test_port_in_use_gives_a_clear_error(tmp_path):
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        srv = EmbeddedServer(tmp_path / "graph", bolt_port=port)
        with pytest.raises(GraphServerError, match=f"port {port} is already in use"):
            srv.start()
        assert srv.status() is None


def test_wrong_password_is_named(graph_server):
    wrong = GraphSettings(uri=graph_server.uri, user=graph_server.user, password="not-the-password",
                          database=graph_server.database)
    with pytest.raises(GraphUnavailable, match="refused the credentials"):
        GraphDB(wrong).server_agent()


def test_unreachable_uri_is_named():
    settings = GraphSettings(uri="bolt://127.0.0.1:9", user="neo4j", password="x")
    with pytest.raises(GraphUnavailable, match="cannot reach the graph server at bolt://127.0.0.1:9"):
        GraphDB(settings).read(one, "RETURN 1 AS n")


def test_malformed_uri_is_named():
    settings = GraphSettings(uri="http//nowhere", user="neo4j", password="x")
    with pytest.raises(GraphUnavailable, match="not a valid Bolt URI"):
        GraphDB(settings).read(one, "RETURN 1 AS n")


def _cli(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "matchmaker", *args], cwd=PROJECT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_cli_reports_unreachable_neo4j_uri_without_traceback(tmp_path):
    env = {**os.environ, "NEO4J_URI": "bolt://127.0.0.1:9", "NEO4J_PASSWORD": "x",
           "VAR_DIR": str(tmp_path), "GRAPH_DATA_DIR": str(tmp_path / "graph")}
    result = _cli("init-db", env=env)
    assert result.returncode == 1
    assert "cannot reach the graph server at bolt://127.0.0.1:9" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "graph").exists()  # NEO4J_URI set: nothing started


def test_cli_wrong_password_for_external_server(graph_server, tmp_path):
    env = {**os.environ, "NEO4J_URI": graph_server.uri, "NEO4J_USER": graph_server.user,
           "NEO4J_PASSWORD": "wrong-password", "NEO4J_DATABASE": graph_server.database,
           "VAR_DIR": str(tmp_path)}
    result = _cli("init-db", env=env)
    assert result.returncode == 1
    assert "refused the credentials" in result.stderr and "Traceback" not in result.stderr


def test_cli_bad_config_is_named(tmp_path):
    env = {**os.environ, "HOME_REGION": "Chengdu", "VAR_DIR": str(tmp_path)}
    result = _cli("graph", "status", env=env)
    assert result.returncode == 2
    assert "HOME_REGION='Chengdu' must be a 6-digit GB/T 2260 code" in result.stderr


def test_cli_graph_start_status_stop(tmp_path):
    env = {**os.environ, "GRAPH_DATA_DIR": str(tmp_path / "g"), "VAR_DIR": str(tmp_path)}
    env.pop("NEO4J_URI", None)
    try:
        assert "started" in _cli("graph", "start", env=env).stdout
        status = _cli("graph", "status", env=env)
        assert status.returncode == 0 and "running: pid" in status.stdout
    finally:
        assert _cli("graph", "stop", env=env).stdout.strip() == "stopped"
    assert _cli("graph", "status", env=env).returncode == 3
