"""Request parsing shared by the API routes: schema errors become one 422 shape."""
from __future__ import annotations

from flask import request
from marshmallow import Schema, ValidationError

from ..errors import Invalid


def load(schema: Schema, data: object | None = None) -> dict:
    """Validate data (default: the JSON body) or raise Invalid with per-field messages."""
    if data is None:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            raise Invalid("send a JSON object with Content-Type: application/json", {"body": ["not a JSON object"]})
    try:
        return schema.load(data)
    except ValidationError as exc:
        raise Invalid("some fields are not valid", _flatten(exc.messages)) from None


def load_args(schema: Schema) -> dict:
    return load(schema, request.args.to_dict())


def _flatten(messages: dict | list) -> dict:
    if isinstance(messages, list):
        return {"_schema": [str(m) for m in messages]}
    return {field: (value if isinstance(value, list) else [str(value)]) for field, value in messages.items()}
