"""Validators shared by the query schemas (record rules live in matchmaker.rules)."""
from marshmallow import Schema, ValidationError, fields, validate

from ..errors import N_
from ..rules import check_fields
from ..rules.text import allowed_chars

ID = validate.Regexp(f"^{allowed_chars(multiline=False)}{{1,64}}$",
                     error=N_("1 to 64 characters, no control characters"))


class JsonBoolean(fields.Boolean):
    """A JSON body's boolean: true or false (fields.Boolean also takes 1, "yes", "on" ..., which forms send)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


def rule_errors(schema: Schema, exc: ValidationError) -> dict:
    """When a record's schema (one with `record_kind`) fails on shape, the record rules on the fields
    that did load, so that one answer lists every problem."""
    kind = getattr(schema, "record_kind", None)
    return check_fields(kind, exc.valid_data if isinstance(exc.valid_data, dict) else {}) if kind else {}
