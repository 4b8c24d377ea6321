"""Each text rule states itself as JSON Schema (the OpenAPI document reads it) and can say why
it refuses: every size a rule uses has its message (a chain of 61 characters was a 500)."""
from __future__ import annotations

import re

import pytest

from matchmaker.rules import _DOCUMENTED, field_schema
from matchmaker.rules.text import TOO_LONG, text_problem

TEXT_RULES = [(kind, name, check.openapi) for kind, table in _DOCUMENTED.items()
              for name, check in table.items() if hasattr(check, "openapi")]


@pytest.mark.parametrize("kind, name, schema", TEXT_RULES, ids=[f"{k}.{n}" for k, n, _ in TEXT_RULES])
def test_every_text_rule_has_a_message_for_its_size(kind, name, schema):
    assert schema["maxLength"] in TOO_LONG
    assert text_problem("x" * (schema["maxLength"] + 1), schema["maxLength"]) == TOO_LONG[schema["maxLength"]]


@pytest.mark.parametrize("value", ["成都市", "two\nlines", "tab\there", "bidi\u202eoverride", "nul\x00", "c1\x85",
                                   "x" * 200, "x" * 201])
def test_the_stated_schema_accepts_what_the_rule_accepts(value):
    for multiline, name, kind, field in ((False, True, "supply", "name"), (True, False, "supply", "description"),
                                         (False, True, "accounts", "name")):
        schema = field_schema(kind, field)
        stated = len(value) <= schema["maxLength"] and re.search(schema["pattern"], value) is not None
        limit = schema["maxLength"]
        assert stated == (text_problem(value, limit, multiline=multiline, name=name) is None), (kind, field)


def test_a_field_without_a_text_rule_states_nothing():
    assert field_schema("supply", "capacity") == {} and field_schema("enterprises", "nonexistent") == {}
