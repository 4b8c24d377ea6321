"""Chain schemas (dump only: the taxonomy is reference data)."""
from marshmallow import Schema, fields


class ChainSummarySchema(Schema):
    id = fields.String()
    name_zh = fields.String()
    name_en = fields.String()
    aliases = fields.List(fields.String())
    localization_target = fields.Float(allow_none=True)
    segments = fields.Integer()
    categories = fields.Integer()
    enterprises = fields.Integer()
    leaders = fields.Integer()
    supply_items = fields.Integer()
    demand_items = fields.Integer()


class CategorySchema(Schema):
    id = fields.String()
    name_zh = fields.String()
    name_en = fields.String()
    keywords = fields.List(fields.String())


class SegmentSchema(Schema):
    id = fields.String()
    stage = fields.String()
    name_zh = fields.String()
    name_en = fields.String()
    categories = fields.List(fields.Nested(CategorySchema))


class FeedSchema(Schema):
    source = fields.String()
    target = fields.String()
    source_name_zh = fields.String()
    source_name_en = fields.String()
    target_name_zh = fields.String()
    target_name_en = fields.String()


class ChainDetailSchema(Schema):
    id = fields.String()
    name_zh = fields.String()
    name_en = fields.String()
    aliases = fields.List(fields.String())
    localization_target = fields.Float(allow_none=True)
    segments = fields.List(fields.Nested(SegmentSchema))
    feeds = fields.List(fields.Nested(FeedSchema))
