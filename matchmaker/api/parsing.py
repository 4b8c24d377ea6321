"""Request parsing shared by the API routes: schema errors become one 422 shape."""
from __future__ import annotations

from flask import request
from marshmallow import Schema, ValidationError

from ..errors import N_, BadRequest, Invalid
from ..rules import input_problems, normalise
from ..schemas.common import rule_errors

NOT_AN_OBJECT = N_("send a JSON object with Content-Type: application/json")
TOO_DEEP = N_("the JSON body is nested too deeply")
MAX_DEPTH = 32  # our bodies are two levels deep; json.loads would recurse until RecursionError


def load(schema: Schema, data: object | None = None) -> dict:
    """Validate data (default: the JSON body) or raise Invalid with per-field messages.

    Every string is NFC-normalised, and text that cannot be stored (a lone surrogate, NUL...)
    is refused here, before any service or the graph driver sees it.
    """
    if data is None:
        data = json_body()
    problems = input_problems(data)
    if problems:
        raise Invalid(N_("some fields are not valid"), problems)
    try:
        return schema.load(normalise(data))
    except ValidationError as exc:
        raise Invalid(N_("some fields are not valid"), {**rule_errors(schema, exc), **_flatten(exc.messages)}) from None



def load_args(schema: Schema) -> dict:
    return load(schema, request.args.to_dict())


def json_body() -> dict:
    """The request's JSON object; a nesting deeper than MAX_DEPTH is refused (400), never a 500."""
    try:
        data = request.get_json(silent=True)
    except RecursionError:
        data = None
        too_deep = True
    else:
        too_deep = nesting_depth(data) > MAX_DEPTH
    if too_deep:
        raise BadRequest(TOO_DEEP, {"body": [TOO_DEEP]})
    if not isinstance(data, dict):
        raise Invalid(NOT_AN_OBJECT, {"body": [N_("not a JSON object")]})
    return data


def nesting_depth(value: object) -> int:
    """How deeply lists and objects nest in a parsed JSON value (iterative: no recursion limit)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, (list, dict)):
            deepest = max(deepest, depth)
            if depth <= MAX_DEPTH:
                stack.extend((child, depth + 1) for child in (node.values() if isinstance(node, dict) else node))
    return deepest


def _flatten(messages: dict | list) -> dict:
    if isinstance(messages, list):
        return {"_schema": [str(m) for m in messages]}
    return {field: (value if isinstance(value, list) else [str(value)]) for field, value in messages.items()}
