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


class GapNodeSchema(Schema):
    id = fields.String()
    name_zh = fields.String()
    name_en = fields.String()
    segment_id = fields.String()
    stage = fields.String()
    state = fields.String(metadata={"enum": ["gap", "weak", "covered"],
                                    "description": "local suppliers: none, exactly one, two or more"})
    local_suppliers = fields.Integer()
    outside_suppliers = fields.Integer()
    supply_items = fields.Integer(metadata={"description": "published supply items, any firm"})
    demand_items = fields.Integer(metadata={"description": "open (published) demand items"})
    demand_value = fields.Float(metadata={"description": "their value, CNY"})
    served_locally = fields.Float(allow_none=True, metadata={
        "description": "B: value of the category's demand items served by a local supplier today "
                       "(null for readers who may not see rates: anyone but officials and admins)"})
    contracted_locally = fields.Float(allow_none=True, metadata={
        "description": "C: value contracted with local suppliers on items not served locally (null likewise)"})
    rate_total = fields.Float(allow_none=True, metadata={
        "description": "T: value of the category's published and closed demand items (null likewise)"})
    rate = fields.Float(allow_none=True, metadata={
        "description": "the category's localization rate (B + C) / T, as GET /chains/{id}/localization "
                       "gives it; null without demand or for readers who may not see rates"})


class GapEdgeSchema(Schema):
    source = fields.String()
    target = fields.String()


class GapMapSchema(Schema):
    chain = fields.Dict()
    segments = fields.List(fields.Dict())
    nodes = fields.List(fields.Nested(GapNodeSchema))
    edges = fields.List(fields.Nested(GapEdgeSchema))
    summary = fields.Dict(metadata={"description": "categories; counts and demand_value per state"})
