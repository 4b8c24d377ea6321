"""What the OpenAPI document says about the input rules the API enforces, taken from where they live.

- a Range that excludes its bound (value > 0) becomes exclusiveMinimum / exclusiveMaximum
  (apispec writes only minimum / maximum);
- a field of a record schema (`record_kind`, or `rules_kind` for a schema whose record is checked
  whole, like a sign-up) gets the size and characters its rule in matchmaker.rules checks
  (names: one line, no bidi overrides ...);
- every other string a request carries gets the storable-text pattern (no NUL or other control
  character, no lone surrogate), which api/parsing.load checks on every request.
"""
from __future__ import annotations

from marshmallow import fields, validate

from ..rules import field_schema
from ..rules.text import STORABLE_PATTERN

__all__ = ["exclusive_range", "record_rule", "state_text_rules"]


def exclusive_range(self, field: fields.Field, ret: dict, **kwargs) -> dict:
    """apispec attribute function (bound to its converter)."""
    found = {}
    for v in field.validators:
        if isinstance(v, validate.Range):
            if v.min is not None and not v.min_inclusive:
                found["exclusiveMinimum"] = True
            if v.max is not None and not v.max_inclusive:
                found["exclusiveMaximum"] = True
    return found


def record_rule(self, field: fields.Field, ret: dict, **kwargs) -> dict:
    """apispec attribute function: the rule's schema for a field of a record schema."""
    kind = getattr(field.parent, "record_kind", None) or getattr(field.parent, "rules_kind", None)
    if not kind or field.dump_only or ret.get("type") not in ("string", ["string", "null"]):
        return {}
    rule = field_schema(kind, field.name)
    if rule and field.required:   # the rules take a blank required field for a missing one
        rule["minLength"] = 1
    return rule


def state_text_rules(doc: dict) -> dict:
    """Give every request string without a pattern, enum or format the storable-text pattern."""
    seen: set[str] = set()
    for item in doc["paths"].values():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    _walk(doc, parameter["schema"], seen)
            for content in operation.get("requestBody", {}).get("content", {}).values():
                _walk(doc, content["schema"], seen)
    return doc


def _walk(doc: dict, node: dict, seen: set[str]) -> None:
    ref = node.get("$ref")
    if ref:
        if ref not in seen:
            seen.add(ref)
            _walk(doc, doc["components"]["schemas"][ref.rsplit("/", 1)[-1]], seen)
        return
    if node.get("type") == "string" and not {"pattern", "enum", "format"} & set(node):
        node["pattern"] = STORABLE_PATTERN
    for child in (*node.get("properties", {}).values(), *node.get(("oneOf"), []), *node.get("anyOf", []),
                  *node.get("allOf", [])):
        _walk(doc, child, seen)
    for key in ("items", "additionalProperties"):
        if isinstance(node.get(key), dict):
            _walk(doc, node[key], seen)
