"""The domain rules of every record kind, held once and called by every input path.

Pure functions over plain record dicts (DATA-FORMAT columns) returning {field: [message]}; the
messages are fixed English texts marked for translation. Schemas check shape only; the API
answers these as 422 `fields`, pages show them per field, imports per row and column.
"""
from . import checks
from .accounts import RULES as _ACCOUNT_RULES
from .accounts import check_account
from .enterprise import RULES as _ENTERPRISE_RULES
from .enterprise import check_enterprise
from .items import RULES as _ITEM_RULES
from .items import check_item
from .text import input_problems, normalise

__all__ = ["check_account", "check_enterprise", "check_fields", "check_item", "field_schema", "input_problems",
           "normalise"]

_FIELD_RULES = {"enterprises": _ENTERPRISE_RULES, **_ITEM_RULES}
_DOCUMENTED = {**_FIELD_RULES, "accounts": _ACCOUNT_RULES}   # sign-up: checked whole by check_account


def check_fields(kind: str, values: dict) -> checks.Errors:
    """The one-field rules of a record kind on the fields given, nothing required: what a request
    whose shape is wrong elsewhere can already be told, so that one answer lists every problem."""
    return checks.run(values, _FIELD_RULES[kind])


def field_schema(kind: str, field: str) -> dict:
    """The JSON Schema a field's rule carries (text sizes and characters), for the OpenAPI document."""
    return dict(getattr(_DOCUMENTED[kind].get(field), "openapi", {}))
