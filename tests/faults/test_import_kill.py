"""kill -9 the graph server in the middle of a large CLI import, start it again, run the import again:
the graph then equals a clean import of the same file (items compared by content, write stamps aside),
and the interrupted run said how far it got and to run it again."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph import items as item_repo
from graph.db import GraphDB
from graph.maintenance import clear_user_data
from matchmaker.services.exports import export_file
from matchmaker.services.generator import Plan
from matchmaker.services.imports import BATCH, import_file
from matchmaker.services.reference import init_db
from matchmaker.services.seeding import seed_generate
from tests.helpers import SYSTEM

from .graph_state import graph_state
from .servers import kill_hard, own_server

PROJECT = Path(__file__).resolve().parents[2]
HOME = "510100"
# Write stamps: when and in which change an item was written, how often (a row written again by the
# re-run is one more write of the same content).
STAMPS = frozenset({"created_at", "updated_at", "seq", "version", "reviewed_at"})


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    """A server of its own, and the files of a generated catalog: its firms and its supply items."""
    folder = tmp_path_factory.mktemp("import-kill")
    server = own_server(folder / "graph")
    db = GraphDB(server.settings)
    init_db(db, HOME)
    seed_generate(db, Plan(300, 16_000, 7), HOME)
    files = {}
    for kind in ("enterprises", "supply"):
        content, _, _ = export_file(db, SYSTEM, kind, "csv", None)
        files[kind] = folder / f"{kind}.csv"
        files[kind].write_bytes(content)
    clear_user_data(db)
    db.close()
    yield server, files, folder
    server.stop()


def _normalised(db) -> tuple:
    return graph_state(db, ignore=STAMPS)


def _import_in_process(db, kind: str, file: Path) -> None:
    report = import_file(db, kind, file.read_bytes(), file.name, home_region=HOME)
    assert report.applied and not report.errors, report.errors[:3]


def _cli_import(server, folder: Path, file: Path) -> subprocess.Popen:
    settings = server.settings()
    env = {**os.environ, "NEO4J_URI": settings.uri, "NEO4J_USER": settings.user,
           "NEO4J_PASSWORD": settings.password, "NEO4J_DATABASE": settings.database,
           "VAR_DIR": str(folder / "var"), "MATCH_ENCODER": "none", "LOG_FORMAT": "text"}
    return subprocess.Popen([sys.executable, "-m", "matchmaker", "import", "--kind", "supply", str(file)],
                            cwd=PROJECT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_first_batches(db, proc: subprocess.Popen, total: int) -> int:
    """Poll the item count until a batch or two are in (the import still running)."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        written = item_repo.count(db, "supply")
        if written >= BATCH:
            assert written < total, "the import ended before the kill: make the file larger"
            return written
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.1)
    raise AssertionError("no batch was written within 5 minutes")


def test_a_killed_import_completes_when_run_again(setup):
    server, files, folder = setup
    db = GraphDB(server.settings, retry_seconds=2)
    total = len(files["supply"].read_text(encoding="utf-8-sig").splitlines()) - 1
    assert total > 3 * BATCH

    # The reference: a clean import of the same files.
    _import_in_process(db, "enterprises", files["enterprises"])
    _import_in_process(db, "supply", files["supply"])
    clean = _normalised(db)
    assert item_repo.count(db, "supply") == total

    clear_user_data(db)
    _import_in_process(db, "enterprises", files["enterprises"])
    proc = _cli_import(server, folder, files["supply"])
    seen = _wait_for_first_batches(db, proc, total)
    kill_hard(server)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, (out, err)
    said = re.search(r"at least (\d+) of (\d+) rows were written", err)
    assert said, err
    assert int(said[2]) == total and BATCH <= seen and int(said[1]) % BATCH == 0
    assert "run the same command again" in err

    server.start()
    partial = item_repo.count(db, "supply")
    assert int(said[1]) <= partial < total  # the committed batches stayed, the rest never came

    again = _cli_import(server, folder, files["supply"])
    out, err = again.communicate(timeout=600)
    assert again.returncode == 0, (out, err)
    assert f"{total} written" in out
    assert _normalised(db) == clean  # every item, firm and relationship as a clean import left them
    db.close()
