"""Officials in charge of chains: set by the CLI, and only they hear of a chain's invitations."""
from __future__ import annotations

import pytest

from graph import users as user_repo
from matchmaker.docking import engagements as service
from matchmaker.docking.officials import parse_chains
from matchmaker.services import items as item_service
from tests.helpers import HOME, SYSTEM, gen_enterprise, gen_user


@pytest.fixture
def runner(app, graph_server, monkeypatch):
    for key in ("uri", "user", "password", "database"):
        monkeypatch.setenv(f"NEO4J_{key.upper()}", getattr(graph_server, key))
    return app.test_cli_runner()


def test_parse_chains():
    assert parse_chains(" nev, ic；nev;;") == ["nev", "ic"] and parse_chains(None) == []


def test_cli_sets_an_officials_chains_and_refuses_bad_input(runner, db):
    made = runner.invoke(args=["create-user", "--email", "gov@example.cn", "--password", "long-password-1",
                               "--role", "official", "--chains", "nev"])
    assert made.exit_code == 0, made.output
    assert user_repo.get_by_email(db, "gov@example.cn")["id"]
    changed = runner.invoke(args=["official-chains", "gov@example.cn", "--chains", "nev,ic"])
    assert changed.exit_code == 0 and "nev, ic" in changed.output
    cleared = runner.invoke(args=["official-chains", "gov@example.cn"])
    assert cleared.exit_code == 0 and "every chain" in cleared.output
    bad = runner.invoke(args=["official-chains", "gov@example.cn", "--chains", "nope"])
    assert bad.exit_code != 0 and "nope" in bad.output
    missing = runner.invoke(args=["official-chains", "who@example.cn", "--chains", "nev"])
    assert missing.exit_code != 0
    sme = gen_user(db, "sme", gen_enterprise(db, "sme")["id"])
    not_official = runner.invoke(args=["official-chains", sme["email"], "--chains", "nev"])
    assert not_official.exit_code != 0 and "official" in not_official.output
    half = runner.invoke(args=["create-user", "--email", "gov2@example.cn", "--password", "long-password-1",
                               "--role", "official", "--chains", "nope"])
    assert half.exit_code != 0 and user_repo.get_by_email(db, "gov2@example.cn") is None


def test_only_the_officials_in_charge_hear_of_an_invitation(db):
    leader, sme = gen_enterprise(db, "leader"), gen_enterprise(db, "sme")
    demand = item_service.create_item(db, SYSTEM, "demand", {"enterprise_id": leader["id"], "name": "齿轮",
                                                             "status": "published"}, HOME)
    chain = demand["chain_id"]
    officials = {name: gen_user(db, "official") for name in ("this", "other", "all")}
    user_repo.set_chains(db, officials["this"]["id"], [chain])
    user_repo.set_chains(db, officials["other"]["id"], ["zz-none"])
    service.invite(db, SYSTEM, demand["id"], sme["id"])
    from graph import notifications

    told = {name for name, u in officials.items() if notifications.counts(db, u["id"])["total"]}
    assert told == {"this", "all"}
