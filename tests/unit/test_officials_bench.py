"""bench/officials_bench.py: bad arguments are refused naming them; the report renders from a run's figures."""
from __future__ import annotations

import pytest

from bench import common, officials_bench


@pytest.mark.parametrize("argv, message", [
    (["--enterprises", "0"], "--enterprises must be in 1..100000"),
    (["--items", "2000000"], "--items in 0..1000000"),
    (["--rounds", "0"], "--rounds and --months >= 1"),
    (["--warm", "-1"], "--warm must be >= 0"),
    (["--months", "x"], "invalid int value"),
    (["--var-dir", "/etc/hostname"], "--var-dir /etc/hostname is not a directory"),
])
def test_bad_arguments_are_refused(capsys, argv, message):
    with pytest.raises(SystemExit) as stop:
        officials_bench.parse_args(argv)
    assert stop.value.code == 2 and message in capsys.readouterr().err


def test_the_report_renders_every_figure():
    args = officials_bench.parse_args(["--rounds", "2", "--report", "-"])
    info = common.RunInfo(args)
    info.agent, info.load_after = "ArcadeDB", "0 / 0 / 0"
    out = {"info": info, "counts": {"enterprises": 10, "supply": 60, "demand": 40}, "seed_s": 3.0, "index_s": 41.0,
           "largest": "nev", "times": {"dashboard": [0.2, 0.4], "rates": [0.01, 0.03]},
           "jobs": [("2026-09", 0.5, {"written": 43})], "again": (0.004, {"month": "2026-09"})}
    text = officials_bench.report(out)
    assert "GET /api/v1/dashboard (17 chains) | 300 ms | 390 ms | 400 ms | under 1 s" in text
    assert "| new month | 2026-09 | 43 | 500 ms |" in text and "seeded in 3 s" in text
    assert "with its list index (built in 41 s)" in text
