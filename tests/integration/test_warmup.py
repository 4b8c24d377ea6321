"""No thread starts when wsgi.py is imported; the indexes warm from gunicorn's post_worker_init
hook or on the first request, once per process."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from types import SimpleNamespace

from graph import items as item_repo
from matchmaker import create_app
from matchmaker.cli.gunicorn_hooks import post_worker_init
from matchmaker.services.generator import Plan
from matchmaker.services.seeding import seed_generate

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_importing_wsgi_starts_no_thread(graph_server, tmp_path):
    env = {**os.environ, "NEO4J_URI": graph_server.uri, "NEO4J_USER": graph_server.user,
           "NEO4J_PASSWORD": graph_server.password, "NEO4J_DATABASE": graph_server.database,
           "VAR_DIR": str(tmp_path)}
    code = "import threading, wsgi; print(sorted(t.name for t in threading.enumerate()))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "['MainThread']"


def test_the_first_request_warms_the_indexes_once(db, tmp_path, monkeypatch):
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    seed_generate(db, Plan(5, 30, 11), "510100", batch=30)
    app = create_app({"TESTING": True, "GRAPH_DB": db, "HOME_REGION": "510100", "CATALOG_WARMUP": True})
    assert app.extensions.get("catalog_warmup") is None
    app.test_client().get("/api/v1/health")
    state = app.extensions["catalog_warmup"]
    state["thread"].join(60)
    first = state["thread"]
    app.test_client().get("/api/v1/health")
    assert app.extensions["catalog_warmup"]["thread"] is first
    lists = app.extensions["lists"]
    try:  # the list index's builder thread builds it; until then lists answer from the graph
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and lists.view("supply")[1] is None:
            time.sleep(0.1)
        assert lists.view("supply")[1].live_count() == item_repo.count(db, "supply") > 0
    finally:
        lists.close()
        app.extensions["matching"].close()


def test_the_gunicorn_hook_starts_the_warm_up_and_a_request_does_not_start_another(db, tmp_path, monkeypatch):
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    app = create_app({"TESTING": True, "GRAPH_DB": db, "HOME_REGION": "510100", "CATALOG_WARMUP": True})
    post_worker_init(SimpleNamespace(wsgi=app))
    thread = app.extensions["catalog_warmup"]["thread"]
    assert thread is not None
    app.test_client().get("/api/v1/health")
    assert app.extensions["catalog_warmup"]["thread"] is thread
    thread.join(60)
    app.extensions["lists"].close()
    app.extensions["matching"].close()


def test_a_warmed_worker_freezes_what_it_holds_out_of_full_collections(graph_server, tmp_path):
    env = {**os.environ, "NEO4J_URI": graph_server.uri, "NEO4J_USER": graph_server.user,
           "NEO4J_PASSWORD": graph_server.password, "NEO4J_DATABASE": graph_server.database,
           "VAR_DIR": str(tmp_path), "MATCH_ENCODER": "none", "MATCH_BUILDER_THREAD": "0",
           "LIST_BUILDER_THREAD": "0"}
    code = ("import gc, wsgi; from matchmaker import warmup; before = gc.get_freeze_count(); "
            "warmup.start(wsgi.app).join(120); print(before, gc.get_freeze_count() > 10_000)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=180)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[-2:] == ["0", "True"]
