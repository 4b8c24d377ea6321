"""Category suggestions: the review queue's query, a review, and what the API returns."""
from marshmallow import Schema, fields, validate

from ..matching.category_review import STATUSES


class ReviewQuery(Schema):
    chain = fields.String(load_default=None, validate=validate.Length(1, 64))
    status = fields.String(load_default="proposed", validate=validate.OneOf(STATUSES))
    lang = fields.String()  # the language switch may ride along on the page


class ReviewLoad(Schema):
    category_id = fields.String(required=True, validate=validate.Length(1, 64))


class SuggestionDump(Schema):
    category_id = fields.String()
    confidence = fields.Float(metadata={"description": "0..1; the top three sum to at most 1"})
    rank = fields.Integer(metadata={"description": "1 = the platform's first choice; 0 = chosen by a reviewer"})
    status = fields.String(metadata={"enum": list(STATUSES)})
    reviewed_by = fields.String(allow_none=True)
    reviewed_at = fields.String(allow_none=True)


class QueueRowDump(Schema):
    item_id = fields.String()
    kind = fields.String(metadata={"enum": ["supply", "demand"]})
    name = fields.String()
    description = fields.String(allow_none=True)
    category_id = fields.String(allow_none=True)
    chain_id = fields.String(allow_none=True)
    enterprise_id = fields.String()
    suggestions = fields.List(fields.Nested(SuggestionDump))
