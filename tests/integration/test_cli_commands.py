"""CLI commands run in-process against the test server: bad flags and inputs are named."""
from __future__ import annotations

import pytest

from graph import enterprises as enterprise_repo
from graph import users as user_repo
from tests.helpers import gen_enterprise


@pytest.fixture
def runner(app, graph_server, monkeypatch):
    monkeypatch.setenv("NEO4J_URI", graph_server.uri)
    monkeypatch.setenv("NEO4J_USER", graph_server.user)
    monkeypatch.setenv("NEO4J_PASSWORD", graph_server.password)
    monkeypatch.setenv("NEO4J_DATABASE", graph_server.database)
    return app.test_cli_runner()


def test_create_user_and_its_bad_inputs(runner, db):
    ok = runner.invoke(args=["create-user", "--email", "Chief@Example.cn", "--password", "long-password",
                             "--role", "official"])
    assert ok.exit_code == 0, ok.output
    assert user_repo.get_by_email(db, "chief@example.cn")["active"] is True
    again = runner.invoke(args=["create-user", "--email", "chief@example.cn", "--password", "long-password",
                                "--role", "official"])
    assert again.exit_code == 1 and "exists already" in again.output
    bad = runner.invoke(args=["create-user", "--email", "nope", "--password", "short", "--role", "official"])
    assert bad.exit_code == 1 and "email:" in bad.output and "password:" in bad.output
    role = runner.invoke(args=["create-user", "--email", "a@b.cn", "--password", "long-password", "--role", "king"])
    assert role.exit_code == 2 and "king" in role.output
    leader = gen_enterprise(db, role="leader")
    mismatch = runner.invoke(args=["create-user", "--email", "s@b.cn", "--password", "long-password",
                                   "--role", "sme", "--enterprise", leader["id"]])
    assert mismatch.exit_code == 1 and "is a leader, not a sme" in mismatch.output
    assert len(user_repo.list_users(db)) == 1  # only the first account was stored


def test_seed_generate_refuses_out_of_range_flags(runner, db):
    for args in (["--enterprises", "0"], ["--items", "2000000"], ["--batch", "5"], ["--seed", "x"]):
        result = runner.invoke(args=["seed", "generate", *args])
        assert result.exit_code == 2, (args, result.output)
    assert enterprise_repo.count(db) == 0


def test_seed_generate_small_run(runner, db):
    result = runner.invoke(args=["seed", "generate", "--enterprises", "40", "--items", "200", "--seed", "9",
                                 "--no-vectors"])
    assert result.exit_code == 0, result.output
    assert "enterprises: 40" in result.output and enterprise_repo.count(db) == 40


def test_graph_commands_refuse_an_external_server(runner):
    result = runner.invoke(args=["graph", "stop"])
    assert result.exit_code == 1 and "managed outside this platform" in result.output
