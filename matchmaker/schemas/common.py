"""Validators shared by the query schemas (record rules live in matchmaker.rules)."""
from marshmallow import Schema, ValidationError, validate

from ..errors import N_
from ..rules import check_fields

ID = validate.Regexp(r"^[^\x00-\x1f]{1,64}$", error=N_("1 to 64 characters, no control characters"))


def rule_errors(schema: Schema, exc: ValidationError) -> dict:
    """When a record's schema (one with `record_kind`) fails on shape, the record rules on the fields
    that did load, so that one answer lists every problem."""
    kind = getattr(schema, "record_kind", None)
    return check_fields(kind, exc.valid_data if isinstance(exc.valid_data, dict) else {}) if kind else {}
