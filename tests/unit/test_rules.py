"""The domain rules (matchmaker.rules), without the graph: each rule once, with its one message."""
from __future__ import annotations

import pytest

from matchmaker.rules import check_account, check_enterprise, check_item, input_problems, normalise
from matchmaker.rules import enterprise as enterprise_rules
from matchmaker.rules import items as item_rules
from matchmaker.rules import text, values
from matchmaker.rules.text import is_local_path

FIRM = {"id": "E1", "name": "成都某某科技有限公司", "role": "sme", "region": "510116"}
LEADER = {**FIRM, "role": "leader"}
SUPPLY = {"id": "S1", "enterprise_id": "E1", "name": "钛合金锻件"}
DEMAND = {"id": "D1", "enterprise_id": "L1", "name": "线束总成"}


def test_valid_records_pass() -> None:
    assert check_enterprise({**LEADER, "annual_procurement": 100, "local_procurement": 100,
                             "certifications": ["ISO9001", "IATF16949@2027-06-30"], "tier": "none"}) == {}
    assert check_item("supply", {**SUPPLY, "capacity": 0, "status": "draft", "description": "多行\n说明\t可以"},
                      "sme") == {}
    assert check_item("demand", {**DEMAND, "deadline": "2028-02-29", "prefer_local": False}, "leader") == {}


@pytest.mark.parametrize(("record", "field", "message"), [
    ({**FIRM, "annual_procurement": 500}, "annual_procurement", enterprise_rules.NOT_A_LEADER),
    ({**FIRM, "role": "other", "local_procurement": 1}, "local_procurement", enterprise_rules.NOT_A_LEADER),
    ({**LEADER, "annual_procurement": 100, "local_procurement": 500}, "local_procurement",
     enterprise_rules.LOCAL_OVER_TOTAL),
    ({**LEADER, "annual_procurement": -1}, "annual_procurement", values.AMOUNT),
    ({**LEADER, "annual_procurement": 1e16}, "annual_procurement", values.AMOUNT),
    ({**FIRM, "certifications": ["ISO9001@2026-13-45"]}, "certifications", values.CERTIFICATION),
    ({**FIRM, "certifications": ["@2026-01-01"]}, "certifications", values.CERTIFICATION),
    ({**FIRM, "certifications": ["ISO9001@31/12/2026"]}, "certifications", values.CERTIFICATION),
    ({**FIRM, "certifications": ["C"] * 51}, "certifications", values.TOO_MANY_CERTIFICATIONS),
    ({**FIRM, "certifications": ["C" * 65]}, "certifications", values.CERTIFICATION_LONG),
    ({**FIRM, "role": "boss"}, "role", enterprise_rules.ROLE),
    ({**FIRM, "tier": "gold"}, "tier", enterprise_rules.TIER),
    ({**FIRM, "name": ""}, "name", text.REQUIRED),
    ({**FIRM, "name": "甲" * 201}, "name", text.TOO_LONG[200]),
    ({**FIRM, "description": "x" * 5001}, "description", text.TOO_LONG[5000]),
    ({**FIRM, "id": "E" * 65}, "id", text.TOO_LONG[64]),
])
def test_enterprise_rules(record: dict, field: str, message: str) -> None:
    assert check_enterprise(record) == {field: [message]}


@pytest.mark.parametrize(("kind", "record", "owner", "field", "message"), [
    ("demand", {**DEMAND, "deadline": "2026-02-30"}, "leader", "deadline", values.DATE),
    ("demand", {**DEMAND, "deadline": "31/12/2026"}, "leader", "deadline", values.DATE),
    ("demand", {**DEMAND, "quantity": -5}, "leader", "quantity", values.AMOUNT),
    ("demand", {**DEMAND, "status": "withdrawn"}, "leader", "status", item_rules.STATUS["demand"]),
    ("supply", {**SUPPLY, "status": "closed"}, "sme", "status", item_rules.STATUS["supply"]),
    ("supply", {**SUPPLY, "unit": "件" * 21}, "sme", "unit", text.TOO_LONG[20]),
    ("demand", DEMAND, "sme", "enterprise_id", item_rules.OWNER["demand"]),
    ("demand", DEMAND, "other", "enterprise_id", item_rules.OWNER["demand"]),
    ("supply", SUPPLY, "leader", "enterprise_id", item_rules.OWNER["supply"]),
    ("supply", {**SUPPLY, "certifications": ["ISO9001@2026-13-45"]}, "sme", "certifications", values.CERTIFICATION),
    ("demand", {**DEMAND, "required_certifications": ["x"] * 200_000}, "leader", "required_certifications",
     values.TOO_MANY_CERTIFICATIONS),
])
def test_item_rules(kind: str, record: dict, owner: str, field: str, message: str) -> None:
    assert check_item(kind, record, owner) == {field: [message]}


def test_other_firms_may_supply_and_an_unknown_owner_is_no_rule_error() -> None:
    assert check_item("supply", SUPPLY, "other") == {}
    assert check_item("supply", SUPPLY, None) == {}


@pytest.mark.parametrize(("value", "message", "where"), [
    ("\ud800x", text.UNSTORABLE, "name"), ("a\x00b", text.CONTROL, "name"), ("a\x1bb", text.CONTROL, "description"),
    ("a\u202eb", text.BIDI, "name"), ("a\u2066b", text.BIDI, "name_en"), ("a\nb", text.ONE_LINE, "name"),
])
def test_text_hygiene(value: str, message: str, where: str) -> None:
    assert check_enterprise({**FIRM, where: value}) == {where: [message]}
    assert check_item("supply", {**SUPPLY, where if where != "name_en" else "unit": value}, "sme") \
        == {where if where != "name_en" else "unit": [message]}


def test_bidi_marks_are_allowed_in_descriptions_and_nfc_applies() -> None:
    assert check_enterprise({**FIRM, "description": "abc \u2067عربي\u2069"}) == {}
    assert normalise({"name": "Cafe\u0301", "tags": ["e\u0301"], "n": 3}) == {"name": "Café", "tags": ["é"], "n": 3}
    assert normalise("\ud800x") == "\ud800x"  # left for the rules to refuse, never a crash


def test_input_problems_names_each_field_with_unstorable_text() -> None:
    assert input_problems({"name": "\ud800x", "certifications": ["ok", "a\x00"], "n": 1, "fine": "文本\n"}) \
        == {"name": [text.UNSTORABLE], "certifications": [text.CONTROL]}


def test_account_rules() -> None:
    good = {"email": "a@example.cn", "password": "long-enough-pw", "role": "sme", "name": "甲"}
    assert check_account(good) == {}
    assert check_account({**good, "password": "\ud800" * 12}) == {"password": [text.UNSTORABLE]}
    assert check_account({**good, "email": "a\x00@example.cn"}) == {"email": [text.CONTROL]}
    assert check_account({**good, "name": "\u202egnp.exe"}) == {"name": [text.BIDI]}
    assert check_account({**good, "role": "king", "password": "short"}) == {
        "role": ["use one of admin, official, leader, sme"], "password": ["use 10 to 200 characters"]}


@pytest.mark.parametrize(("target", "local"), [
    ("/supply?page=2", True), ("/", True), ("/supply/物品", True), ("/%09/evil.example", True),
    ("/\t/evil.example/phish", False), ("/\r/evil.example", False), ("//evil.example", False),
    ("/\\evil.example", False), ("https://evil.example/", False), ("evil.example", False), ("", False), (None, False),
])
def test_only_this_sites_paths_are_redirect_targets(target, local) -> None:
    assert is_local_path(target) is local
