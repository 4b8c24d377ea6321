"""Matching: query args of the match lists, a verdict on a suggestion."""
from marshmallow import Schema, fields, validate

from ..matching.feedback import VERDICTS
from ..rules.vocab import TIERS


class MatchQuery(Schema):
    limit = fields.Integer(load_default=10, validate=validate.Range(1, 50))
    local_only = fields.Boolean(load_default=False)
    tier = fields.String(validate=validate.OneOf(TIERS), load_default=None)
    certification = fields.String(validate=validate.Length(1, 64), load_default=None)


class FeedbackLoad(Schema):
    verdict = fields.String(required=True, validate=validate.OneOf(VERDICTS))
    reason = fields.String(load_default=None, validate=validate.Length(max=500))
