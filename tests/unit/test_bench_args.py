"""The benchmarks' command lines refuse bad sizes and paths with a message naming them."""
from __future__ import annotations

import pytest

from bench import list_bench, load_bench


@pytest.mark.parametrize("argv, message", [
    (["--items", "0"], "must be at least 1"),
    (["--repeat", "0"], "must be at least 1"),
    (["--import-rows", "-5"], "--import-rows at least 0"),
    (["--workers", "many"], "invalid int value"),
])
def test_list_bench_refuses_bad_numbers(capsys, argv, message):
    with pytest.raises(SystemExit) as stop:
        list_bench.parse_args(argv)
    assert stop.value.code == 2 and message in capsys.readouterr().err


def test_list_bench_refuses_a_data_dir_that_holds_no_database(capsys, tmp_path):
    with pytest.raises(SystemExit):
        list_bench.parse_args(["--data-dir", str(tmp_path)])
    assert "is not an embedded-server data dir" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--batch", "0"], ["--enterprises", "0"], ["--items", "-1"]])
def test_load_bench_refuses_bad_sizes(capsys, argv):
    with pytest.raises(SystemExit) as stop:
        load_bench.parse_args(argv)
    assert stop.value.code == 2 and "--batch at least 1" in capsys.readouterr().err


def test_quick_runs_print_instead_of_rewriting_the_report():
    assert load_bench.parse_args(["--quick"]).out == "-"
    assert list_bench.parse_args(["--quick"]).report == "-"
