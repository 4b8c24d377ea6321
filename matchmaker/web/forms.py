"""HTML form parsing: form fields -> the API's schemas, errors per field (pages translate them)."""
from __future__ import annotations

from flask import request
from marshmallow import Schema, ValidationError

from ..errors import N_, Invalid
from ..rules import input_problems, normalise
from ..schemas.common import rule_errors

LIST_FIELDS = ("certifications", "required_certifications", "chains")


def form_data(schema: Schema) -> dict:
    """The submitted form through a schema; `;`-lists split, blanks dropped, CSRF token removed."""
    raw = {}
    for key, value in request.form.items():
        if key in LIST_FIELDS:  # a `;`-list in one box, or one value per ticked box
            value = ";".join(request.form.getlist(key))
        if key == "csrf_token" or value.strip() == "":
            continue
        if key in LIST_FIELDS:
            raw[key] = [v.strip() for v in value.replace("；", ";").split(";") if v.strip()]
        else:
            raw[key] = value.strip()
    return _load(schema, raw, N_("some fields are not valid"))


def _load(schema: Schema, raw: dict, message: str) -> dict:
    """NFC text through the schema; text that cannot be stored (lone surrogate, NUL...) is refused first."""
    problems = input_problems(raw)
    if problems:
        raise Invalid(message, problems)
    try:
        return schema.load(normalise(raw))
    except ValidationError as exc:
        raise Invalid(message, {**rule_errors(schema, exc), **_per_field(exc.messages)}) from None


def args_data(schema: Schema) -> dict:
    """The query string through a schema, blank parameters ignored."""
    raw = {k: v for k, v in request.args.items() if v.strip() != ""}
    return _load(schema, raw, N_("some filters are not valid"))


def _per_field(messages) -> dict[str, list[str]]:
    """marshmallow's messages as {field: [reason, ...]}; a list field's per-entry reasons are flattened."""
    if not isinstance(messages, dict):
        return {"_schema": _reasons(messages)}
    return {str(key): _reasons(value) for key, value in messages.items()}


def _reasons(value) -> list[str]:
    if isinstance(value, dict):
        return [reason for nested in value.values() for reason in _reasons(nested)]
    if isinstance(value, (list, tuple)):
        return [reason for nested in value for reason in _reasons(nested)]
    return [str(value)]
