"""The stage rule (docking.stages): who may move an engagement where, and what a move needs."""
from __future__ import annotations

import pytest

from matchmaker.docking.stages import (ACTIVE, OPEN, REASONS, STATUSES, allowed_moves, correction_problems,
                                       may_correct_contract, move_problems)
from matchmaker.services.permissions import Principal, engagement_side

ENGAGEMENT = {"leader_id": "L", "supplier_id": "S"}


@pytest.mark.parametrize("status, side, moves", [
    ("invited", "supplier", ("accepted", "declined", "closed")),
    ("invited", "leader", ("closed",)),
    ("invited", "official", ("accepted", "declined", "closed")),
    ("accepted", "leader", ("contact", "samples", "qualification", "contracted", "closed")),
    ("accepted", "supplier", ("closed",)),
    ("contact", "leader", ("samples", "qualification", "contracted", "closed")),
    ("samples", "official", ("qualification", "contracted", "closed")),
    ("qualification", "leader", ("contracted", "closed")),
    ("contracted", "leader", ()), ("contracted", "official", ()),
    ("declined", "official", ()), ("closed", "leader", ()),
    ("invited", None, ()), ("contact", None, ()),
])
def test_allowed_moves(status, side, moves):
    assert allowed_moves({"status": status}, side) == moves


def test_every_open_stage_can_be_closed_by_either_side_and_nothing_else_can():
    for status in STATUSES:
        for side in ("leader", "supplier", "official"):
            assert ("closed" in allowed_moves({"status": status}, side)) == (status in OPEN)
    assert set(ACTIVE) == set(OPEN) | {"contracted"}


def test_a_move_never_goes_back_a_stage():
    ladder = ["invited", "accepted", "contact", "samples", "qualification", "contracted"]
    for status in ladder:
        for target in allowed_moves({"status": status}, "official"):
            if target in ladder:
                assert ladder.index(target) > ladder.index(status)


def test_sides():
    assert engagement_side(Principal("u", "leader", "L"), ENGAGEMENT) == "leader"
    assert engagement_side(Principal("u", "sme", "S"), ENGAGEMENT) == "supplier"
    assert engagement_side(Principal("u", "sme", "X"), ENGAGEMENT) is None
    assert engagement_side(Principal("u", "leader", None), ENGAGEMENT) is None
    assert engagement_side(Principal("u", "official"), ENGAGEMENT) == "official"
    assert engagement_side(Principal("u", "admin"), ENGAGEMENT) == "official"


def test_contract_correction_is_for_the_leader_side_and_officials():
    contracted = {"status": "contracted"}
    assert may_correct_contract(contracted, "leader") and may_correct_contract(contracted, "official")
    assert not may_correct_contract(contracted, "supplier")
    assert not may_correct_contract({"status": "qualification"}, "leader")


def test_what_a_move_needs():
    assert move_problems("accepted") == {}
    assert set(move_problems("contracted")) == {"quantity", "value", "start_date"}
    assert set(move_problems("contracted", quantity=0, value=-1, start_date="2027-01-01")) == {"quantity", "value"}
    assert move_problems("contracted", quantity=10, value=1e6, start_date="2027-01-01") == {}
    assert set(move_problems("contact", value=5)) == {"value"}
    assert set(move_problems("declined")) == {"reason"}
    assert set(move_problems("closed", reason="bogus")) == {"reason"}
    assert set(move_problems("closed", reason="other")) == {"note"}
    assert move_problems("closed", reason="other", note="moved away") == {}
    assert set(move_problems("samples", reason="price")) == {"reason"}
    assert all(move_problems("declined", reason=r, note="x") == {} for r in REASONS)
    assert set(move_problems("contracted", quantity=True, value=float("nan"), start_date="x")) == {"quantity", "value"}


def test_what_a_correction_needs():
    assert correction_problems(10) == {}
    assert set(correction_problems(None)) == {"value"}
    assert set(correction_problems(5, quantity=-1)) == {"quantity"}


def test_texts_in_both_languages_outside_a_request():
    from matchmaker.docking.words import both, say

    assert both("Contracted") == {"en": "Contracted", "zh": "已签约"}
    assert say("Note: %(note)s", "zh", note="x") == "备注：x" and say("Note: %(note)s", "en", note="x") == "Note: x"
    assert say("an id no catalogue knows", "zh") == "an id no catalogue knows"


def test_history_times_are_shown_in_beijing_time_to_the_minute():
    from matchmaker.web.formats import when_text  # the `when` filter (more cases: tests/unit/test_formats.py)

    assert when_text("2026-11-30T14:16:20.123456+00:00", "zh") != "2026-11-30T14:16:20.123456+00:00"
    assert when_text("2026-12-31T20:00:00", "en") == "1 Jan 2027, 04:00"
    assert when_text(None, "zh") == "—" and when_text("not a time", "zh") == "not a time"


def test_who_is_told_of_which_change():
    from matchmaker.docking.announce import messages_for

    e = {"leader_id": "L", "supplier_id": "S"}
    kinds = lambda status, before, side: [(k, w["firms"], w["officials"])  # noqa: E731
                                          for k, _, w in messages_for({**e, "status": status}, before, side)]
    assert kinds("invited", None, "leader") == [("engagement_invited", ["S"], False),
                                                ("engagement_opened", [], True)]
    assert kinds("accepted", "invited", "supplier") == [("engagement_answer", ["L"], False)]
    assert kinds("declined", "invited", "official") == [("engagement_answer", ["L"], False)]
    assert kinds("closed", "contact", "supplier") == [("engagement_answer", ["L"], False)]
    assert kinds("closed", "contact", "leader") == []
    assert kinds("samples", "contact", "leader") == []
    assert kinds("contracted", "samples", "leader") == [("engagement_contracted", [], True)]
    assert kinds("contracted", "contracted", "leader") == []   # a correction tells no one
