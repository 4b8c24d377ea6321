"""A graph server of a test's own (in a temporary directory), to stop, kill and restart.

The session's server (tests/conftest.py) is shared by every test; these tests break theirs.
"""
from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from graph.server import EmbeddedServer, _alive


def kill_hard(server: EmbeddedServer) -> None:
    """kill -9 the server's JVM, as a crash or the OOM killer would, and wait until it is gone."""
    state = server.status()
    assert state is not None, "the server is not running"
    os.kill(state.pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while _alive(state.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(state.pid)


def own_server(directory: Path) -> EmbeddedServer:
    server = EmbeddedServer(directory, heap="512m")
    server.start()
    return server
