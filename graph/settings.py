"""Where the graph server is and how to log in to it."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATABASE = "matchmaker"


@dataclass(frozen=True)
class GraphSettings:
    uri: str
    user: str
    password: str = ""
    database: str = DEFAULT_DATABASE
    embedded: bool = False

    def describe(self) -> str:
        return f"{self.uri} (database {self.database!r}, user {self.user!r})"


def external_settings(environ: dict | None = None) -> GraphSettings | None:
    """Settings of an external server from NEO4J_* variables, or None when unset."""
    env = os.environ if environ is None else environ
    uri = env.get("NEO4J_URI", "").strip()
    if not uri:
        return None
    return GraphSettings(
        uri=uri,
        user=env.get("NEO4J_USER", "neo4j"),
        password=env.get("NEO4J_PASSWORD", ""),
        database=env.get("NEO4J_DATABASE", "neo4j") or "neo4j",
    )


def data_dir(environ: dict | None = None) -> Path:
    """The embedded server's data directory (GRAPH_DATA_DIR, default var/graph)."""
    env = os.environ if environ is None else environ
    default = Path(__file__).resolve().parents[1] / "var" / "graph"
    return Path(env.get("GRAPH_DATA_DIR") or default).resolve()


def bind_host(environ: dict | None = None) -> str:
    """The address the embedded server's Bolt port listens on (GRAPH_BIND_HOST, default 127.0.0.1).

    Only for other hosts on a private network (tests/multihost): the server has a password but no TLS.
    """
    env = os.environ if environ is None else environ
    return env.get("GRAPH_BIND_HOST", "").strip() or "127.0.0.1"
