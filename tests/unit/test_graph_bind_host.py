"""The embedded server's bind address: GRAPH_BIND_HOST, the URI clients get, bad addresses named."""
from __future__ import annotations

import pytest

from graph.errors import GraphServerError
from graph.server import EmbeddedServer, ServerState, _require_local_address
from graph.settings import bind_host


def test_bind_host_defaults_to_loopback_and_reads_the_variable():
    assert bind_host({}) == "127.0.0.1"
    assert bind_host({"GRAPH_BIND_HOST": "  "}) == "127.0.0.1"
    assert bind_host({"GRAPH_BIND_HOST": " 10.231.0.1 "}) == "10.231.0.1"


def test_the_server_takes_the_host_given_else_the_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPH_BIND_HOST", "10.231.0.1")
    assert EmbeddedServer(tmp_path).host == "10.231.0.1"
    assert EmbeddedServer(tmp_path, host="127.0.0.1").host == "127.0.0.1"
    monkeypatch.delenv("GRAPH_BIND_HOST")
    assert EmbeddedServer(tmp_path).host == "127.0.0.1"


def test_clients_on_this_machine_reach_the_address_listened_on():
    assert ServerState(1, 7687, 2480, "m", "10.231.0.1").uri == "bolt://10.231.0.1:7687"
    assert ServerState(1, 7687, 2480, "m", "0.0.0.0").uri == "bolt://127.0.0.1:7687"
    assert ServerState(1, 7687, 2480, "m").uri == "bolt://127.0.0.1:7687"  # a state file of an older version


def test_a_state_file_of_an_older_version_is_still_read(tmp_path):
    server = EmbeddedServer(tmp_path)
    server.state_file.write_text('{"pid": 1, "bolt_port": 7687, "http_port": 2480, "database": "m"}')
    assert server._read_state() == ServerState(1, 7687, 2480, "m", "127.0.0.1")


@pytest.mark.parametrize("host", ["not-an-address.invalid", "192.0.2.250", "999.1.1.1", "::1"])
def test_an_address_this_machine_has_not_is_named(host):
    with pytest.raises(GraphServerError, match="GRAPH_BIND_HOST"):
        _require_local_address(host)


def test_a_local_address_is_accepted():
    _require_local_address("127.0.0.1")
