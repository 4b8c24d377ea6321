"""Matchmaking round rules (table numbers, what an outcome does, the tally, the headline) and the
outcome moves applied through a fake engagements service."""
from __future__ import annotations

import doctest

import pytest

from matchmaker.docking import round_rules
from matchmaker.docking.round_rules import amount_text, assign_tables, headline, outcome_moves, tally
from matchmaker.errors import Conflict


def test_each_leader_has_one_table_numbered_in_order_of_arrival():
    existing = [{"leader_id": "A", "table_no": 1}, {"leader_id": "A", "table_no": 1}, {"leader_id": "B", "table_no": 2}]
    new = [{"leader_id": "C"}, {"leader_id": "B"}, {"leader_id": "C"}, {"leader_id": "D"}]
    assert [p["table_no"] for p in assign_tables(existing, new)] == [3, 2, 3, 4]
    assert [p["table_no"] for p in assign_tables([], [{"leader_id": "X"}, {"leader_id": "Y"}])] == [1, 2]


@pytest.mark.parametrize("outcome, status, moves", [
    ("signed", "invited", ["accepted", "contracted"]),
    ("signed", "accepted", ["contracted"]),
    ("signed", "qualification", ["contracted"]),
    ("signed", "contracted", []),                      # the service corrects the value instead
    ("no_fit", "invited", ["closed"]),
    ("no_fit", "samples", ["closed"]),
    ("no_fit", "closed", []),
    ("no_fit", "declined", []),
    ("met", "invited", ["accepted", "contact"]),
    ("met", "accepted", ["contact"]),
    ("met", "contact", []),
    ("met", "qualification", []),                      # never moves back
    ("met", "contracted", []),
    ("follow_up", "accepted", ["contact"]),
])
def test_outcome_moves(outcome, status, moves):
    assert outcome_moves(outcome, status) == moves


@pytest.mark.parametrize("outcome, status", [("signed", "closed"), ("met", "declined"), ("follow_up", "closed"),
                                             ("no_fit", "contracted")])
def test_outcomes_that_contradict_the_engagement_are_conflicts(outcome, status):
    with pytest.raises(Conflict):
        outcome_moves(outcome, status)


PAIRS = [
    {"leader_id": "L1", "supplier_id": "S1", "outcome": "signed", "value": 600_000_000, "supplier_local": True},
    {"leader_id": "L1", "supplier_id": "S2", "outcome": "signed", "value": 481_000_000, "supplier_local": False},
    {"leader_id": "L2", "supplier_id": "S1", "outcome": "met", "value": None, "supplier_local": True},
    {"leader_id": "L2", "supplier_id": "S3", "outcome": "follow_up", "value": None, "supplier_local": True},
    {"leader_id": "L3", "supplier_id": "S4", "outcome": "no_fit", "value": None, "supplier_local": False},
    {"leader_id": "L3", "supplier_id": "S5", "outcome": None, "value": None, "supplier_local": True},
]


def test_tally():
    assert tally(PAIRS) == {"pairs": 6, "firms": 8, "leaders": 3, "suppliers": 5, "met": 4, "follow_up": 1,
                            "no_fit": 1, "pending": 1, "signed": 2, "signed_firms": 3, "value": 1_081_000_000.0,
                            "local_value": 600_000_000.0}
    assert tally([])["firms"] == 0 and tally([])["value"] == 0.0


def test_headline_in_both_languages():
    figures = {"signed_firms": 29, "value": 1_081_000_000}
    assert headline(figures, "zh") == "29家企业签约10.81亿元"
    assert headline(figures, "en") == "29 firms signed CNY 1.081 billion"
    assert headline({"signed_firms": 0, "value": 0}, "zh") == "0家企业签约0元"


@pytest.mark.parametrize("value, zh, en", [
    (1_081_000_000, "10.81亿元", "CNY 1.081 billion"), (250_000_000, "2.5亿元", "CNY 250 million"),
    (12_500_000, "1,250万元", "CNY 12.5 million"), (8_000, "8,000元", "CNY 8,000"),
])
def test_amounts(value, zh, en):
    assert (amount_text(value, "zh"), amount_text(value, "en")) == (zh, en)


def test_docstring_examples():
    assert doctest.testmod(round_rules).failed == 0


# -- the outcome applied to an engagement, through a fake engagements service -------------------------

class FakeEngagements:
    """Stands in for matchmaker.docking.engagements: records the calls, keeps a status and version."""

    def __init__(self, status: str, value=None):
        self.engagement = {"id": "G-1", "status": status, "version": 1, "value": value}
        self.calls = []

    def move(self, db, principal, engagement_id, status, **kw):
        self.calls.append(("move", status, kw))
        self.engagement = {**self.engagement, "status": status, "version": self.engagement["version"] + 1}
        return self.engagement

    def correct_contract(self, db, principal, engagement_id, **kw):
        self.calls.append(("correct", kw["value"], kw))
        return self.engagement


CONTRACT = {"value": 5e6, "quantity": 100.0, "start_date": "2026-07-01"}


@pytest.fixture
def fake(monkeypatch):
    from matchmaker.docking import rounds

    def make(status, value=None):
        fake = FakeEngagements(status, value)
        monkeypatch.setattr(rounds, "engagements", fake)
        return fake
    return make


def test_signed_from_invited_accepts_then_contracts_with_the_figures(fake):
    from matchmaker.docking.rounds import _move
    f = fake("invited")
    _move(None, None, f.engagement, "signed", CONTRACT, "签约")
    assert [(c[0], c[1]) for c in f.calls] == [("move", "accepted"), ("move", "contracted")]
    assert f.calls[0][2]["expected_version"] == 1 and f.calls[1][2]["expected_version"] == 2
    assert {k: f.calls[1][2][k] for k in CONTRACT} == CONTRACT and "value" not in f.calls[0][2]


def test_no_fit_closes_with_reason_no_fit(fake):
    from matchmaker.docking.rounds import _move
    f = fake("contact")
    _move(None, None, f.engagement, "no_fit", {"value": None, "quantity": None, "start_date": None}, "")
    assert [(c[1], c[2]["reason"]) for c in f.calls] == [("closed", "no_fit")]


def test_signed_again_corrects_the_contract_only_when_the_value_differs(fake):
    from matchmaker.docking.rounds import _move
    same = fake("contracted", value=5e6)
    _move(None, None, same.engagement, "signed", CONTRACT, "")
    assert same.calls == []
    other = fake("contracted", value=4e6)
    _move(None, None, other.engagement, "signed", CONTRACT, "更正")
    assert [(c[0], c[1]) for c in other.calls] == [("correct", 5e6)]
