"""Engagements: the invitation body, the PATCH body (a move or a contract correction), the list query,
and how an engagement and its events are shown."""
from marshmallow import RAISE, Schema, fields, validate

from ..docking.stages import REASONS, STATUSES
from .common import ID

NOTE = validate.Length(max=2000)
POSITIVE = validate.Range(min=0, min_inclusive=False, max=1e15)
_VERSION = ("the engagement's version as read (its ETag); a stale one is refused with 409 (code stale_version) "
            "and nothing changes. Alternatively send it as the If-Match header")


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class EngagementCreate(_Strict):
    demand_item_id = fields.String(required=True, validate=ID, metadata={"description": "a published demand item"})
    supplier_id = fields.String(required=True, validate=ID,
                                metadata={"description": "the invited enterprise (role sme or other)"})
    supply_item_id = fields.String(load_default=None, allow_none=True, validate=ID,
                                   metadata={"description": "optional: one of the supplier's supply items"})
    note = fields.String(load_default="", validate=NOTE)


class EngagementPatch(_Strict):
    """A move to `status`; status 'contracted' on a contracted engagement corrects its value (and quantity)."""
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    note = fields.String(load_default="", validate=NOTE)
    reason = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(REASONS),
                           metadata={"description": "declined and closed need one; 'other' also needs a note"})
    quantity = fields.Float(load_default=None, allow_none=True, validate=POSITIVE,
                            metadata={"description": "annual quantity (contracted)"})
    value = fields.Float(load_default=None, allow_none=True, validate=POSITIVE,
                         metadata={"description": "annual contract value in CNY (contracted, or a correction)"})
    start_date = fields.Date(load_default=None, allow_none=True, metadata={"description": "contracted: YYYY-MM-DD"})
    version = fields.Integer(strict=True, validate=validate.Range(min=1), metadata={"description": _VERSION})


class EngagementForm(EngagementPatch):
    """The page's move forms (text fields: empty means not given)."""
    version = fields.Integer(validate=validate.Range(min=1))
    reason = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(("", *REASONS)))
    quantity = fields.String(load_default=None, allow_none=True)
    value = fields.String(load_default=None, allow_none=True)
    start_date = fields.String(load_default=None, allow_none=True)
    lang = fields.String(load_only=True)


class EngagementQuery(_Strict):
    demand_item = fields.String(validate=ID)
    supplier = fields.String(validate=ID)
    chain = fields.String(validate=ID)
    status = fields.String(validate=validate.OneOf(STATUSES))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(1, 100))
    lang = fields.String(load_only=True)


class EngagementEventDump(Schema):
    id = fields.String()
    n = fields.Integer(metadata={"description": "1 for the invitation, +1 per change"})
    at = fields.String()
    by = fields.String(allow_none=True, metadata={"description": "the acting account's id"})
    by_role = fields.String(allow_none=True)
    proxy = fields.Boolean(metadata={"description": "recorded by an official on a firm's behalf"})
    from_status = fields.String(allow_none=True)
    to_status = fields.String()
    note = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    quantity = fields.Float(allow_none=True)
    value = fields.Float(allow_none=True)
    start_date = fields.String(allow_none=True)


class EngagementDump(Schema):
    id = fields.String()
    demand_id = fields.String()
    demand_name = fields.String(allow_none=True)
    supplier_id = fields.String()
    supplier_name = fields.String(allow_none=True)
    supply_item_id = fields.String(allow_none=True)
    leader_id = fields.String()
    leader_name = fields.String(allow_none=True)
    chain_id = fields.String(allow_none=True)
    category_id = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": list(STATUSES)})
    opened_at = fields.String()
    updated_at = fields.String()
    version = fields.Integer()
    quantity = fields.Float(allow_none=True)
    value = fields.Float(allow_none=True, metadata={"description": "annual contract value in CNY"})
    start_date = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    round_id = fields.String(allow_none=True)
    proxy = fields.Boolean(allow_none=True, metadata={"description": "last change recorded by an official"})
    side = fields.String(allow_none=True, metadata={"description": "your side: leader, supplier or official"})
    allowed_moves = fields.List(fields.String(), metadata={"description": "the statuses you may move it to now"})
    may_correct = fields.Boolean(metadata={"description": "you may correct its contract value"})
    history = fields.List(fields.Nested(EngagementEventDump), metadata={"description": "oldest first"})


class EngagementSummaryDump(EngagementDump):
    """An engagement in a list: without its history."""

    class Meta:
        exclude = ("history",)
