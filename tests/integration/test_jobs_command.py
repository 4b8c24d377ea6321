"""`jobs` (cli/jobs_cmd.py) refuses what it cannot run, before it starts anything or touches the index."""
from __future__ import annotations

from pathlib import Path


def _index_files(app) -> list[Path]:
    return sorted((Path(app.config["VAR_DIR"]) / "index").rglob("*"))


def test_jobs_refuses_to_run_with_the_builders_turned_off(app):
    before = _index_files(app)  # the test app has MATCH_BUILDER_THREAD and LIST_BUILDER_THREAD off
    result = app.test_cli_runner().invoke(args=["jobs"])
    assert result.exit_code != 0
    assert "MATCH_BUILDER_THREAD" in result.output and "LIST_BUILDER_THREAD" in result.output
    assert _index_files(app) == before
    assert app.extensions.get("catalog_warmup") is None  # no builder or keeper thread was started


def test_jobs_refuses_a_priority_outside_0_to_19(app):
    app.config.update(MATCH_BUILDER_THREAD=True, LIST_BUILDER_THREAD=True)
    before = _index_files(app)
    for bad in ("-1", "20", "high"):
        result = app.test_cli_runner().invoke(args=["jobs", "--nice", bad])
        assert result.exit_code == 2 and "--nice" in result.output, result.output
    assert _index_files(app) == before
    assert app.extensions.get("catalog_warmup") is None
