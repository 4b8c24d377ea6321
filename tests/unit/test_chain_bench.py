"""bench/chain_bench.py: bad arguments are refused naming them; a run's figures render as the report's table."""
from __future__ import annotations

import argparse

import pytest

from bench import chain_bench, common


@pytest.mark.parametrize("argv, message", [
    (["--enterprises", "5"], "--enterprises must be at least 20"),
    (["--items", "10"], "--items at least 100"),
    (["--rounds", "0"], "--rounds must be between 1 and 10000"),
    (["--rounds", "many"], "invalid int value"),
    (["--data-dir", "/nonexistent/graph"], "--data-dir /nonexistent/graph is not a directory"),
    (["--var-dir", "/etc/hostname"], "--var-dir /etc/hostname is not a directory"),
])
def test_bad_arguments_are_refused(capsys, argv, message):
    with pytest.raises(SystemExit) as stop:
        chain_bench.parse_args(argv)
    assert stop.value.code == 2 and message in capsys.readouterr().err


def test_the_report_renders_every_endpoint_with_its_aim():
    args = chain_bench.parse_args(["--report", "-", "--rounds", "2"])
    info = common.RunInfo(argparse.Namespace(**{**vars(args)}))
    out = {"info": info, "seed_s": 12.0, "counts": {"enterprises": 10_000, "supply": 60_000, "demand": 40_000},
           "chain": "nev", "chain_counts": {"categories": 18, "supply": 3_500, "demand": 2_400},
           "paths": chain_bench.endpoint_paths("nev"),
           "index_s": 30.0, "engine_s": 0.5, "cold": {"gap-map": 0.5, "localization": 9.0, "resilience": 0.2,
                                                      "dashboard": 0.9, "all-chains": 2.0, "baseline": 0.02},
           "samples": {"gap-map": [0.2, 0.3], "localization": [1.5, 1.7], "resilience": [0.1, 0.12],
                       "dashboard": [0.5, 0.6], "all-chains": [1.2, 1.3], "baseline": [0.01, 0.02]}}
    text = chain_bench.report(out)
    assert "| `/api/v1/chains/nev/gap-map` | 500 ms | **250 ms** |" in text
    assert "| `/api/v1/dashboard` | 900 ms | **550 ms** |" in text and "| `/api/v1/localization` |" in text
    assert text.count("under 1 s: **not met**") == 2 and text.count("under 1 s: met") == 3
    assert "10,000 enterprises / 100,000 items in 12 s" in text
