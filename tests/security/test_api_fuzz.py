"""Schemathesis over the whole API (tests/security/api_fuzz.py), in a pytest process of its own:
what hypothesis does to the interpreter's recursion accounting stays out of the other tests
(see api_fuzz.py). API_FUZZ_* settings (`make fuzz`) pass through the environment."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("schemathesis")
PROJECT = Path(__file__).resolve().parents[2]


def test_schemathesis_finds_no_failure_as_an_official_or_an_sme():
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider",
                           "tests/security/api_fuzz.py"], cwd=PROJECT, capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
    assert "2 passed" in done.stdout
