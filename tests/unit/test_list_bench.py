"""The list benchmark's pure parts: percentiles, counting what a response shows, the report."""
from __future__ import annotations

import argparse
import json
import statistics

import pytest

from bench import common
from bench import list_bench as lb


def test_percentile_interpolates_between_ranks():
    assert common.percentile([1, 2, 3, 4], 50) == 2.5
    assert common.percentile([4, 1, 3, 2], 0) == 1 and common.percentile([4, 1, 3, 2], 100) == 4
    assert common.percentile([10], 95) == 10
    values = [float(v) for v in range(1, 31)]  # 30 samples, as the benchmark takes
    assert common.percentile(values, 95) == pytest.approx(28.55)
    deciles = statistics.quantiles(values, n=10, method="inclusive")
    assert common.percentile(values, 90) == pytest.approx(deciles[-1])


def test_percentile_of_nothing_is_nan_and_bad_p_is_refused():
    assert common.percentile([], 50) != common.percentile([], 50)
    with pytest.raises(ValueError):
        common.percentile([1.0], 101)


def test_count_items_reads_api_and_pages():
    assert lb.count_items("api-list", json.dumps({"data": [{}] * 3, "total": 90}).encode()) == (3, 90)
    assert lb.count_items("api-chains", b'{"data": [{}, {}], "count": 2}') == (2, 2)
    assert lb.count_items("api-item", b'{"data": {"id": "S-1"}}') == (1, None)
    assert lb.count_items("api-health", b'{"status": "ok"}') == (1, None)
    page = ('<p class="muted">共 1234 条</p><table><tbody>'
            '<tr><td><a href="/supply/G1-S0000001">a</a></td></tr>'
            '<tr><td><a href="/supply/G1-S0000002">b</a></td></tr></tbody></table>'
            '<a class="button" href="/supply/new">new</a>')
    assert lb.count_items("page-list", page.encode()) == (2, 1234)
    empty = '<p class="muted">0 items</p><tr><td colspan="5" class="muted">No items match.</td></tr>'
    assert lb.count_items("page-list", empty.encode()) == (0, 0)
    assert lb.count_items("page-home", b'<li class="card">x</li><li class="card">y</li>') == (2, None)


def test_check_refuses_error_pages_and_empty_lists():
    probe = lb.Probe("/api/v1/supply-items", "api-list", "leader")
    assert lb.check(probe, lb.Response(200, b'{"data": [{}], "total": 1}', 0.01)) == (1, 1, "")
    assert "HTTP 500" in lb.check(probe, lb.Response(500, b"boom", 0.01))[2]
    assert lb.check(probe, lb.Response(200, b'{"data": [], "total": 0}', 0.01))[2] == "the response shows no items"
    assert "unreadable" in lb.check(probe, lb.Response(200, b"<html>", 0.01))[2]


def test_request_mix_has_the_baselines_first_and_every_list():
    mix = lb.request_mix("S-1")
    assert [p.kind for p in mix[:2]] == ["api-item", "api-health"] and all(p.baseline for p in mix[:2])
    paths = {p.path for p in mix}
    for required in ("/supply?page=50", "/api/v1/demand-items?sort=deadline", "/opportunities",
                     "/api/v1/chains", "/", "/api/v1/supply-items?q=电池", "/demand?q=sensor"):
        assert required in paths
    assert len(paths) == len(mix)


def _run(p95_slow: float = 0.4) -> lb.Run:
    args = argparse.Namespace(enterprises=100_000, items=1_000_000, workers=2, repeat=30, warmup=3,
                              url_budget=45.0, min_samples=10, concurrency=2, concurrent_rounds=1, import_rows=100_000,
                              heap="4g", data_dir=None)
    fast = [0.02] * 29 + [0.03]
    slow = [0.2] * 27 + [p95_slow] * 3
    timings = [
        lb.Timing("/api/v1/supply-items/S-1", "api-item", "official", True, [0.01] * 30, 1),
        lb.Timing("/api/v1/health", "api-health", "official", True, [0.005] * 30, 1),
        lb.Timing("/api/v1/supply-items?chain=nev", "api-list", "leader", False, fast, 20, 35_000),
        lb.Timing("/supply?q=电池", "page-list", "leader", False, slow, 20, 9_000),
    ]
    imp = lb.ImportResult(rows=100_000, file_bytes=8 << 20, openpyxl_s=[5.0, 7.0], read_table_s=7.0,
                          parse_rows_s=3.0, total_s=48.0, write_s=30.0, read_s=2.0, accepted=100_000,
                          written=100_000, peak_rss=400 << 20, peak_reset=True)
    return lb.Run(args, machine={"cpus": 2, "cpu_model": "Test CPU", "ram_gib": 8.0, "python": "3.11",
                                 "os": "Linux"},
                  started="2026-01-01 00:00 UTC", load_before="1", load_after="1", revision="abc1234",
                  agent="ArcadeDB", counts={"enterprises": 100_000, "supply": 600_000, "demand": 400_000},
                  timings=timings, concurrent=lb.Concurrent(2, 1, 2.0, [0.05] * 8), imp=imp,
                  revision_end="abc1234", code_digest="d1", code_digest_end="d1")


def test_report_flags_slow_urls_and_gives_ratios_and_the_import_verdict():
    text = lb.render(_run())
    assert text.startswith("## Lists and import (issue 3)\n")
    assert "1 of 2 list and page requests meet the aim of p95 under 150 ms; 1 miss it" in text
    assert "| `GET /supply?q=电池` | leader | 200 ms | 400 ms | 400 ms | 20.0 | 20 (9,000) | 30 | **no** |" in text
    assert "| `GET /api/v1/supply-items?chain=nev` | leader | 20 ms | 20 ms | 30 ms | 2.0 | 20 (35,000) | 30 | yes |" in text
    assert "| baseline |" in text
    assert "100,000 of 100,000 XLSX rows in 48.0 s end to end, 2,083 rows/s (meets the aim of under 60 s)" in text
    assert "x8.0 the time openpyxl alone" in text            # 48 s over the median floor of 6 s
    assert "| … the rest, in the app (reading, validating, mapping rows) | 16.0 s |" in text
    assert "Date**: 2026-01-01 00:00 UTC" in text and "code abc1234" in text
    assert "```sh" in text and "make bench-lists" in text


def test_report_says_when_the_data_is_smaller_and_the_aim_is_missed():
    run = _run()
    run.counts = {"enterprises": 10_000, "supply": 60_000, "demand": 40_000}
    run.imp.total_s = 75.0
    text = lb.render(run)
    assert text.startswith("## Lists and import (issue 3) (quick run)\n")
    assert "misses the aim of under 60 s" in text


def test_report_warns_only_when_the_app_code_changed_during_the_run():
    run = _run()
    run.revision_end = "def5678"  # a commit of other files (say, docs) landed: not a warning
    assert "changed during the run" not in lb.render(run)
    run.code_digest_end = "d2"
    assert "**the app's code changed during the run**: def5678 at its end" in lb.render(run)


def test_problems_name_bad_responses_and_incomplete_imports():
    run = _run()
    assert lb.problems(run) == []
    run.timings[2].errors.append("HTTP 500")
    run.imp.written, run.imp.rejected = 99_000, 1_000
    found = lb.problems(run)
    assert any("supply-items?chain=nev" in f and "HTTP 500" in f for f in found)
    assert any(f.startswith("import: 99000 of 100000") for f in found)
    run.incidents = {"worker timeouts": 1, "workers replaced": 0}
    assert "gunicorn: worker timeouts 1" in lb.problems(run)


def test_write_section_keeps_the_rest_of_the_report(tmp_path):
    path = tmp_path / "BENCHMARKS.md"
    path.write_text("# Benchmarks\n\n<!-- load:start -->\nload\n<!-- load:end -->\n", encoding="utf-8")
    common.write_section(path, lb.SECTION, lb.render(_run()))
    common.write_section(path, lb.SECTION, "second")
    text = path.read_text(encoding="utf-8")
    assert "<!-- load:start -->\nload\n<!-- load:end -->" in text
    assert text.count("<!-- lists:start -->") == 1 and "<!-- lists:start -->\nsecond\n<!-- lists:end -->" in text
