"""The short load test in CI: every role's traffic at once through gunicorn, no server error.

The full-size run is `make load-test` (bench/traffic/run.py; docs/BENCHMARKS.md, "Load test").
"""
from __future__ import annotations

import json
import subprocess
import sys

from bench.common import PROJECT_DIR


def test_every_role_at_once_through_gunicorn_gets_no_server_error(tmp_path):
    out = tmp_path / "traffic.json"
    done = subprocess.run([sys.executable, "-m", "bench.traffic.run", "--quick", "--json", str(out)],
                          cwd=PROJECT_DIR, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    run = json.loads(out.read_text())
    assert run["server_errors"] == 0
    assert run["failures"] == []  # nor any status a simulated user did not expect (e.g. a 422 on a valid post)
    # Each role's work was exercised: reads and writes, matching, imports, invitations' answers.
    served = {r["name"] for r in run["routes"] if r["requests"] > 0}
    for route in ("GET /api/v1/demand-items/<id>/matches", "POST /api/v1/supply-items", "POST /api/v1/demand-items",
                  "GET /api/v1/dashboard", "GET /search", "GET /api/v1/health (baseline)"):
        assert route in served, sorted(served)
    assert run["incidents"]["worker timeouts"] == 0
