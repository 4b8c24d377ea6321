"""`index build` refuses an unknown kind before touching the graph."""
from matchmaker import create_app


def test_an_unknown_kind_is_named_and_nothing_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    runner = create_app({"TESTING": True, "MATCH_ENCODER": "none"}).test_cli_runner()
    result = runner.invoke(args=["index", "build", "--kind", "tools"])
    assert result.exit_code == 2
    assert "'tools' is not one of 'supply', 'demand', 'all'" in result.output
    assert not (tmp_path / "index").exists()
