"""The app on a host: `python -m matchmaker serve` inside the host's namespace, on the shared graph."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Iterator

from graph.settings import GraphSettings
from matchmaker.config import PROJECT_DIR

from .netns import Host, in_namespace

PORT = 8000


def host_env(graph: GraphSettings, var_dir: Path, secret_key: str) -> dict:
    """The environment of one host: the shared graph and secret key, its own var dir."""
    return {**os.environ, "NEO4J_URI": graph.uri, "NEO4J_USER": graph.user,
            "NEO4J_PASSWORD": graph.password, "NEO4J_DATABASE": graph.database,
            "VAR_DIR": str(var_dir), "SECRET_KEY": secret_key,
            "MATCH_ENCODER": "none",  # BM25 only: no encoder model to load on 2 cores
            "WEB_WORKERS": "1", "PYTHONUNBUFFERED": "1"}


@contextmanager
def serving(hosts: list[Host], graphs: list[GraphSettings], root: Path, secret_key: str) -> Iterator[dict]:
    """Start `serve` on every host at once, each on its graph settings; yields {host name: base URL}."""
    with ExitStack() as stack:
        procs = {h.name: stack.enter_context(_serve(h, g, root / h.name, secret_key)) for h, g in zip(hosts, graphs)}
        urls = {h.name: f"http://{h.address}:{PORT}" for h in hosts}
        for name, url in urls.items():
            _wait_ready(procs[name], url, root / name / "serve.log")
        yield urls


@contextmanager
def _serve(host: Host, graph: GraphSettings, directory: Path, secret_key: str):
    directory.mkdir(parents=True, exist_ok=True)
    command = in_namespace(host, [sys.executable, "-m", "matchmaker", "serve", "--no-demo",
                                  "--host", host.address, "--port", str(PORT), "--workers", "1"])
    log = open(directory / "serve.log", "wb")
    proc = subprocess.Popen(command, cwd=PROJECT_DIR, env=host_env(graph, directory / "var", secret_key),
                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        yield proc
    finally:
        _stop(proc)
        log.close()


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM to the process group we started (serve forwards it to gunicorn), then SIGKILL."""
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _wait_ready(proc: subprocess.Popen, url: str, log: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"serve exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/login", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} not ready within {timeout:.0f} s:\n{log.read_text(errors='replace')[-3000:]}")
