"""HTML form parsing: form fields -> the API's schemas, errors per field (pages translate them)."""
from __future__ import annotations

from flask import request
from marshmallow import Schema, ValidationError

from ..errors import N_, Invalid

LIST_FIELDS = ("certifications", "required_certifications", "chains")


def form_data(schema: Schema) -> dict:
    """The submitted form through a schema; `;`-lists split, blanks dropped, CSRF token removed."""
    raw = {}
    for key, value in request.form.items():
        if key == "csrf_token" or value.strip() == "":
            continue
        if key in LIST_FIELDS:
            raw[key] = [v.strip() for v in value.replace("；", ";").split(";") if v.strip()]
        else:
            raw[key] = value.strip()
    try:
        return schema.load(raw)
    except ValidationError as exc:
        raise Invalid(N_("some fields are not valid"), _per_field(exc.messages)) from None


def args_data(schema: Schema) -> dict:
    """The query string through a schema, blank parameters ignored."""
    raw = {k: v for k, v in request.args.items() if v.strip() != ""}
    try:
        return schema.load(raw)
    except ValidationError as exc:
        raise Invalid(N_("some filters are not valid"), _per_field(exc.messages)) from None


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
