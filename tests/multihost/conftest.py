"""Two app hosts in network namespaces behind nginx, on one embedded graph server (module scope).

Skips (with the reason) when namespaces cannot be made (not root, no iproute2) or nginx is
missing (`sh scripts/ensure_nginx.sh`).
"""
from __future__ import annotations

import secrets
import socket
from dataclasses import replace

import pytest

from graph.db import GraphDB
from graph.server import EmbeddedServer
from matchmaker.services.reference import init_db

from . import hosts as app_hosts
from . import netns, nginx


@pytest.fixture(scope="module")
def network():
    reason = netns.available() or nginx.available()
    if reason:
        pytest.skip(reason)
    with netns.private_network(["a", "b"]) as made:
        yield made


@pytest.fixture(scope="module")
def graph(network, tmp_path_factory):
    """The one graph server, listening on host A's gateway (which host B reaches too)."""
    server = EmbeddedServer(tmp_path_factory.mktemp("graph"), heap="1g", host=network[0].gateway)
    settings, _ = server.start()
    db = GraphDB(settings)
    try:
        init_db(db, "510100")  # once here, so the hosts' `serve` only finds the schema in place
        yield db
    finally:
        db.close()
        server.stop()


@pytest.fixture(scope="module")
def apps(network, graph, tmp_path_factory):
    """{"a": base URL, "b": base URL}: each host's gunicorn, reached directly.

    Host A reaches the graph by bolt://, host B by neo4j:// (routing, as to a cluster: the
    server's routing table names the address it listens on, so B's reads and writes go there)."""
    root = tmp_path_factory.mktemp("hosts")
    routing = replace(graph.settings, uri=graph.settings.uri.replace("bolt://", "neo4j://", 1))
    with app_hosts.serving(network, [graph.settings, routing], root, secrets.token_hex(32)) as urls:
        yield {"a": urls[network[0].name], "b": urls[network[1].name]}


@pytest.fixture(scope="module")
def balancer(network, apps, tmp_path_factory):
    """(base URL, log directory) of nginx over both hosts."""
    directory = tmp_path_factory.mktemp("nginx")
    upstreams = [f"{h.address}:{app_hosts.PORT}" for h in network]
    with nginx.load_balancer(directory, _free_port(), upstreams) as url:
        yield url, directory


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
