"""The benchmarks' command lines refuse bad sizes and paths with a message naming them."""
from __future__ import annotations

import pytest

from bench import common, list_bench, list_index_bench, load_bench, match_bench


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


@pytest.mark.parametrize("argv", [["--items", "0"], ["--queries", "0"], ["--workers", "0"], ["--sample", "-1"]])
def test_match_bench_refuses_bad_sizes(capsys, argv):
    with pytest.raises(SystemExit) as stop:
        match_bench.parse_args(argv)
    assert stop.value.code == 2 and "must be at least 1" in capsys.readouterr().err


def test_match_bench_quick_is_small_and_prints_unless_asked_to_write():
    quick = match_bench.parse_args(["--quick"])
    assert (quick.items, quick.report) == (match_bench.QUICK[1], "-")
    assert match_bench.parse_args(["--quick", "--report"]).report == str(common.DEFAULT_REPORT)
    assert match_bench.parse_args(["--encoder", "none"]).encoder == "none"


def test_match_bench_bigrams_are_those_of_the_text_without_spaces():
    assert match_bench.bigrams("IGBT 模块") == ["ig", "gb", "bt", "t模", "模块"]
    assert match_bench.bigrams("阀") == ["阀"]


# -- plan_bench (the batch plan solver) ------------------------------------------------------------

@pytest.mark.parametrize("argv, message", [(["--scale", "0"], "--scale must be in (0, 1]"),
                                           (["--scale", "2"], "--scale must be in (0, 1]"),
                                           (["--cases", "chain,galaxy"], "--cases takes chain and/or all"),
                                           (["--seed", "x"], "invalid int value")])
def test_plan_bench_refuses_bad_arguments(capsys, argv, message):
    from bench import plan_bench

    with pytest.raises(SystemExit) as stop:
        plan_bench.parse_args(argv)
    assert stop.value.code == 2 and message in capsys.readouterr().err


def test_plan_bench_runs_a_tiny_case_and_renders_its_table():
    from bench import plan_bench

    info, results = plan_bench.run(plan_bench.parse_args(["--scale", "0.002", "--cases", "chain", "--report", "-"]))
    table = plan_bench.render(info, results)
    assert len(results) == 2 and "| largest chain, tight capacity |" in table
    assert all(r["value"] >= r["greedy_value"] for _, r in results)


@pytest.mark.parametrize("argv, message", [
    (["--engagements", "0"], "--engagements must be at least 1"),
    (["--repeats", "-1"], "--repeats must be at least 1"),
    (["--items", "x"], "invalid int value"),
])
def test_funnel_bench_refuses_bad_numbers(capsys, argv, message):
    from bench import funnel_bench
    with pytest.raises(SystemExit) as stop:
        funnel_bench.parse_args(argv)
    assert stop.value.code == 2 and message in capsys.readouterr().err


@pytest.mark.parametrize("argv, message", [
    (["--enterprises", "5"], "need at least 20 enterprises"),
    (["--duration", "1"], "5 seconds"),
    (["--threads", "0"], "--threads from 1 to 64"),
    (["--workers", "0"], "--workers must be at least 1"),
    (["--users", "lots"], "invalid int value"),
])
def test_load_test_refuses_bad_sizes(capsys, argv, message):
    from bench.traffic import run as traffic

    with pytest.raises(SystemExit) as stop:
        traffic.parse_args(argv)
    assert stop.value.code == 2 and message in capsys.readouterr().err


@pytest.mark.parametrize("argv, message", [
    (["--items", "0"], "must be at least 1"),
    (["--repeat", "-2"], "must be at least 1"),
    (["--enterprises", "few"], "invalid int value"),
    (["--baseline-rev", "no-such-rev"], "is not a commit of this repository"),
])
def test_list_index_bench_refuses_bad_arguments(capsys, argv, message):
    with pytest.raises(SystemExit) as stop:
        list_index_bench.parse_args(argv)
    assert stop.value.code == 2 and message in capsys.readouterr().err


def test_list_index_bench_takes_its_defaults():
    args = list_index_bench.parse_args([])
    assert (args.items, args.baseline_rev, args.report) == (200_000, list_index_bench.BASELINE_REV, None)


def test_the_load_test_reuses_only_a_directory_it_kept(tmp_path):
    import pytest as _pytest

    from bench.list_bench import BenchError
    from bench.traffic.run import _kept_accounts
    with _pytest.raises(BenchError, match="not a directory kept by --keep"):
        _kept_accounts(tmp_path)
    (tmp_path / "graph").mkdir()
    (tmp_path / "accounts.json").write_text('{"leader": []}', encoding="utf-8")
    assert _kept_accounts(tmp_path) == {"leader": []}


def test_match_bench_refuses_a_vector_store_it_cannot_use(tmp_path, capsys):
    with pytest.raises(SystemExit):
        match_bench.parse_args(["--vectors", str(tmp_path / "missing.sqlite3")])
    store = tmp_path / "vectors.sqlite3"
    store.write_bytes(b"")
    with pytest.raises(SystemExit):
        match_bench.parse_args(["--vectors", str(store), "--encoder", "none"])
    assert "--vectors" in capsys.readouterr().err
    assert match_bench.parse_args(["--vectors", str(store)]).vectors == str(store)
