"""HTML form parsing: form fields -> the API's schemas, errors flashed per field."""
from __future__ import annotations

from flask import request
from marshmallow import Schema, ValidationError

from ..errors import Invalid

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
        raise Invalid("some fields are not valid", {k: v if isinstance(v, list) else [str(v)]
                                                     for k, v in exc.messages.items()}) from None


def args_data(schema: Schema) -> dict:
    """The query string through a schema, blank parameters ignored."""
    raw = {k: v for k, v in request.args.items() if v.strip() != ""}
    try:
        return schema.load(raw)
    except ValidationError as exc:
        raise Invalid("some filters are not valid", {k: v if isinstance(v, list) else [str(v)]
                                                      for k, v in exc.messages.items()}) from None
