"""Edits carry the version they were made on: the item schemas plus `version`."""
from __future__ import annotations

from marshmallow import fields, validate

from .items import LOAD_SCHEMAS

_DESCRIPTION = ("the item's version as read (its ETag); a stale one is refused with 409 and nothing "
                "changes. Alternatively send it as the If-Match header")


def _with_version(kind: str, schema: type, strict: bool, suffix: str) -> type:
    version = fields.Integer(strict=strict, validate=validate.Range(min=1), metadata={"description": _DESCRIPTION})
    return type(f"{kind.capitalize()}Item{suffix}", (schema,), {"version": version,
                                                               "__doc__": f"Changes to a {kind} item."})


# JSON bodies send a number; the edit form's hidden field sends text.
PATCH_SCHEMAS = {kind: _with_version(kind, schema, True, "Patch") for kind, schema in LOAD_SCHEMAS.items()}
FORM_SCHEMAS = {kind: _with_version(kind, schema, False, "Form") for kind, schema in LOAD_SCHEMAS.items()}
