"""The engagement service's rules over an in-memory repository (no graph)."""
from __future__ import annotations

import json

import pytest

from matchmaker.docking import engagements as service
from matchmaker.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from matchmaker.services.permissions import ANONYMOUS, Principal
from tests.unit.fake_engagements import FakeEngagements

LEADER, SME, OTHER = Principal("u-l", "leader", "L"), Principal("u-s", "sme", "S"), Principal("u-o", "sme", "O")
OFFICIAL = Principal("u-g", "official")


@pytest.fixture
def repo():
    return FakeEngagements(
        enterprises={"L": {"role": "leader", "name": "链主"}, "S": {"role": "sme", "name": "小企"},
                     "O": {"role": "sme", "name": "另一家"}, "X": {"role": "other", "name": "其他"},
                     "L2": {"role": "leader", "name": "链主二"}},
        demands={"D1": {"status": "published", "enterprise_id": "L", "chain_id": "nev", "name": "齿轮"},
                 "D2": {"status": "draft", "enterprise_id": "L", "chain_id": "nev", "name": "草稿"}},
        supplies={"S1": {"enterprise_id": "S"}},
        users=[{"user_id": "u-l", "email": "l@x.cn", "role": "leader", "enterprise_id": "L"},
               {"user_id": "u-s", "email": "s@x.cn", "role": "sme", "enterprise_id": "S"},
               {"user_id": "u-g", "email": "g@x.cn", "role": "official", "enterprise_id": None, "chains": ["nev"]},
               {"user_id": "u-g2", "email": "g2@x.cn", "role": "official", "enterprise_id": None, "chains": ["ic"]},
               {"user_id": "u-g3", "email": "g3@x.cn", "role": "official", "enterprise_id": None}])


def _notes(repo, kind):
    return sorted(n["user_id"] for n in repo.notes if n["kind"] == kind)


def test_walk_from_invitation_to_contract_with_notifications(repo):
    made = service.invite(repo, LEADER, "D1", "S", "S1", note="hi")
    eid = made["id"]
    assert made["allowed_moves"] == ["closed"] and made["side"] == "leader"
    assert _notes(repo, "engagement_invited") == ["u-s"]
    assert _notes(repo, "engagement_opened") == ["u-g", "u-g3"]   # in charge of nev, or of every chain
    assert json.loads(repo.notes[0]["params"])["engagement_id"] == eid
    assert repo.notes[0]["link"] == f"/engagements/{eid}"
    accepted = service.move(repo, SME, eid, "accepted")
    assert accepted["side"] == "supplier" and _notes(repo, "engagement_answer") == ["u-l"]
    service.move(repo, LEADER, eid, "contact")
    signed = service.move(repo, LEADER, eid, "contracted", quantity=5, value=1000.0, start_date="2027-02-01")
    assert signed["status"] == "contracted" and signed["proxy"] is False
    assert _notes(repo, "engagement_contracted") == ["u-g", "u-g3"]
    assert [e["to_status"] for e in signed["history"]] == ["invited", "accepted", "contact", "contracted"]


def test_the_actor_is_not_told_of_its_own_move(repo):
    eid = service.invite(repo, OFFICIAL, "D1", "S")["id"]
    assert _notes(repo, "engagement_opened") == ["u-g3"]
    assert repo.engagements[eid]["proxy"] is True


def test_refusals_write_nothing(repo):
    eid = service.invite(repo, LEADER, "D1", "S")["id"]
    events = len(repo.events)
    for principal, status, error in [(LEADER, "accepted", Forbidden), (OTHER, "accepted", Forbidden),
                                     (SME, "samples", Conflict), (SME, "contracted", Conflict)]:
        with pytest.raises(error):
            service.move(repo, principal, eid, status)
    with pytest.raises(Invalid):
        service.move(repo, SME, eid, "bogus")
    with pytest.raises(Invalid):
        service.move(repo, SME, eid, "declined", reason="other")
    with pytest.raises(Unauthorized):
        service.move(repo, ANONYMOUS, eid, "accepted")
    with pytest.raises(NotFound):
        service.move(repo, SME, "G-nope", "accepted")
    with pytest.raises(Conflict):
        service.correct_contract(repo, LEADER, eid, value=5)
    assert len(repo.events) == events and repo.engagements[eid]["status"] == "invited"


def test_a_concurrent_change_makes_the_move_stale(repo):
    eid = service.invite(repo, LEADER, "D1", "S")["id"]
    repo.before_write = lambda: repo.engagements[eid].update(version=2)
    with pytest.raises(service.StaleVersion):
        service.move(repo, SME, eid, "accepted")
    assert repo.engagements[eid]["status"] == "invited"


def test_second_invitation_and_after_decline(repo):
    first = service.invite(repo, LEADER, "D1", "S")["id"]
    with pytest.raises(Conflict) as again:
        service.invite(repo, LEADER, "D1", "S")
    assert again.value.extra["existing"] == first
    service.move(repo, SME, first, "declined", reason="price")
    assert service.invite(repo, LEADER, "D1", "S")["id"] != first


@pytest.mark.parametrize("args, field", [
    ({"demand_id": "D2"}, "demand_item_id"), ({"demand_id": "nope"}, "demand_item_id"),
    ({"supplier_id": "L2"}, "supplier_id"), ({"supplier_id": "L"}, "supplier_id"), ({"supplier_id": ""}, "supplier_id"),
    ({"supply_item_id": "S1", "supplier_id": "O"}, "supply_item_id"), ({"supply_item_id": "S9"}, "supply_item_id"),
    ({"note": "x" * 2001}, "note"),
])
def test_invitation_bad_input(repo, args, field):
    with pytest.raises(Invalid) as refused:
        service.invite(repo, LEADER, **{"demand_id": "D1", "supplier_id": "S", **args})
    assert field in refused.value.fields
    assert repo.engagements == {}


def test_only_the_demands_firm_and_officials_invite(repo):
    with pytest.raises(Forbidden):
        service.invite(repo, SME, "D1", "O")
    assert service.invite(repo, OFFICIAL, "D1", "X")["status"] == "invited"


def test_contract_correction_keeps_history(repo):
    eid = service.invite(repo, LEADER, "D1", "S")["id"]
    service.move(repo, SME, eid, "accepted")
    service.move(repo, LEADER, eid, "contracted", quantity=5, value=100.0, start_date="2027-01-01")
    with pytest.raises(Forbidden):
        service.correct_contract(repo, SME, eid, value=200.0)
    with pytest.raises(Invalid):
        service.correct_contract(repo, LEADER, eid, value=0)
    fixed = service.change(repo, LEADER, eid, {"status": "contracted", "value": 150.0, "note": "typo"})
    assert fixed["value"] == 150.0 and fixed["quantity"] == 5
    last = fixed["history"][-1]
    assert (last["from_status"], last["to_status"], last["value"], last["note"]) == (
        "contracted", "contracted", 150.0, "typo")
    assert fixed["history"][-2]["value"] == 100.0


def test_search_scope(repo):
    service.invite(repo, LEADER, "D1", "S")
    assert service.search(repo, SME, {}).total == 1
    assert service.search(repo, OTHER, {}).total == 0
    assert service.search(repo, Principal("u-z", "leader", None), {}).total == 0
    assert service.search(repo, OFFICIAL, {"status": ["invited"]}).total == 1
