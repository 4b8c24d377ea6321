"""kill -9 a gunicorn worker while items are being written through the real `serve`: every write
answered 201 is kept, and the lists' text search finds each of them (the index and its delta).
kill -9 the background jobs process: `serve` starts it again and it takes the builder locks back."""
from __future__ import annotations

import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest
import requests

from graph.db import GraphDB
from graph.server import EmbeddedServer
from tests.helpers import gen_enterprise, gen_token, gen_user

PROJECT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """`serve` with two workers on temporary directories; (base url, serve process, graph)."""
    folder = tmp_path_factory.mktemp("worker-kill")
    port = _free_port()
    env = {**os.environ, "GRAPH_DATA_DIR": str(folder / "graph"), "VAR_DIR": str(folder / "var"),
           "MATCH_ENCODER": "none", "LOG_FORMAT": "json", "GRAPH_HEAP": "512m"}
    env.pop("NEO4J_URI", None)
    log = open(folder / "serve.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "matchmaker", "serve", "--no-demo", "--workers", "2",
                             "--port", str(port)], cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, proc, folder / "serve.log")
        db = GraphDB(EmbeddedServer(folder / "graph").settings)
        yield base, proc, db, folder / "serve.log"
        db.close()
    finally:
        proc.send_signal(signal.SIGTERM)  # serve stops gunicorn, then the graph server it started
        try:
            proc.wait(timeout=90)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


def _wait_until_up(base: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        assert proc.poll() is None, log.read_text()
        try:
            if requests.get(f"{base}/api/v1/chains", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    raise AssertionError(f"serve did not come up:\n{log.read_text()[-3000:]}")


def _workers(serve: subprocess.Popen) -> list[psutil.Process]:
    master = next(p for p in psutil.Process(serve.pid).children() if "gunicorn" in " ".join(p.cmdline()))
    return master.children()


class Writers:
    """Threads posting supply items until stopped; keeps what was acknowledged with 201."""

    def __init__(self, base: str, token: str, threads: int = 2):
        self.base, self.token = base, token
        self.acknowledged: dict[str, str] = {}  # item id -> its unique word
        self.failures: list[str] = []
        self.stop = threading.Event()
        self._count = 0
        self._lock = threading.Lock()
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def join(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=120)

    def _run(self) -> None:
        session = requests.Session()
        while not self.stop.is_set():
            with self._lock:
                self._count += 1
                word = f"kw{self._count:05d}probe"
            body = {"name": f"铝合金压铸壳体 {word}", "description": "高压铸造 A380 铝合金, 新能源汽车电驱壳体",
                    "capacity": 1000, "unit": "件"}
            try:
                response = session.post(f"{self.base}/api/v1/supply-items", json=body, timeout=60,
                                        headers={"Authorization": f"Bearer {self.token}"})
            except requests.RequestException as exc:  # the killed worker's request: never acknowledged
                self.failures.append(repr(exc))
                continue
            if response.status_code == 201:
                self.acknowledged[response.json()["data"]["id"]] = word
            else:
                self.failures.append(f"{response.status_code} {response.text[:200]}")


def test_writes_acknowledged_before_and_after_a_worker_is_killed_are_all_kept(site):
    base, serve, db, log = site
    firm = gen_enterprise(db, role="sme")
    token = gen_token(db, gen_user(db, role="sme", enterprise_id=firm["id"]))
    writers = Writers(base, token)
    writers.start()
    deadline = time.monotonic() + 120
    while len(writers.acknowledged) < 20 and time.monotonic() < deadline:
        time.sleep(0.05)
    victim = _workers(serve)[0]
    victim.send_signal(signal.SIGKILL)
    before_kill = len(writers.acknowledged)
    time.sleep(8)  # gunicorn starts another worker; writing goes on
    writers.join()
    assert before_kill >= 20 and len(writers.acknowledged) > before_kill, writers.failures[:5]
    assert len(_workers(serve)) == 2  # the killed worker was replaced

    session = requests.Session()
    for item_id in writers.acknowledged:
        assert session.get(f"{base}/api/v1/supply-items/{item_id}", timeout=30).status_code == 200, item_id

    missing = dict(writers.acknowledged)
    deadline = time.monotonic() + 120
    while missing and time.monotonic() < deadline:
        for item_id, word in list(missing.items()):
            found = session.get(f"{base}/api/v1/supply-items", params={"q": word}, timeout=30).json()["data"]
            if item_id in {item["id"] for item in found}:
                del missing[item_id]
        time.sleep(1)
    assert not missing, f"{len(missing)} acknowledged items not found by search: {list(missing)[:5]}"
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    access = [line for line in lines if line["logger"] == "matchmaker.access"]
    assert access and all(len(line["request_id"]) == 32 for line in access)  # JSON lines with request ids
    assert not any(line["logger"] == "gunicorn.access" for line in lines)  # one access line per request
    assert any("SIGKILL" in line["message"] for line in lines if line["logger"] == "gunicorn.error")


def _jobs(serve: subprocess.Popen) -> psutil.Process | None:
    """serve's running jobs process (a killed one is a zombie until serve reaps it)."""
    for child in psutil.Process(serve.pid).children():
        try:
            if child.cmdline()[-1:] == ["jobs"]:
                return child
        except psutil.Error:
            continue
    return None


def _lock_holders(var: Path) -> dict[str, int | None]:
    """Each builder lock under var/index: the pid written in it while it is held, None when free."""
    holders = {}
    for path in var.glob("index/**/builder.lock"):
        with open(path) as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holders[str(path.relative_to(var))] = int(handle.read().strip() or 0)
            else:
                fcntl.flock(handle, fcntl.LOCK_UN)
                holders[str(path.relative_to(var))] = None
    return holders


def _wait_for_locks(var: Path, pid: int, kinds: int = 5) -> dict:
    deadline, holders = time.monotonic() + 120, {}
    while time.monotonic() < deadline:
        holders = _lock_holders(var)
        if sum(holder == pid for holder in holders.values()) >= kinds:
            return holders
        time.sleep(0.5)
    raise AssertionError(f"pid {pid} does not hold the builder locks: {holders}")


def test_the_jobs_process_holds_every_builder_lock_and_comes_back_when_killed(site):
    base, serve, _db, log = site
    var = log.parent / "var"
    jobs = _jobs(serve)
    assert jobs is not None and jobs.nice() >= 10  # background work yields the CPU to requests
    holders = _wait_for_locks(var, jobs.pid)  # lists and matching of both kinds, and the keeper
    workers = {w.pid for w in _workers(serve)}
    assert not workers & set(holders.values())  # the web workers only serve
    jobs.send_signal(signal.SIGKILL)
    deadline = time.monotonic() + 60
    while (_jobs(serve) is None or _jobs(serve).pid == jobs.pid) and time.monotonic() < deadline:
        time.sleep(0.5)
    again = _jobs(serve)
    assert again is not None and again.pid != jobs.pid, log.read_text()[-2000:]
    _wait_for_locks(var, again.pid)
    assert requests.get(f"{base}/api/v1/chains", timeout=10).status_code == 200
