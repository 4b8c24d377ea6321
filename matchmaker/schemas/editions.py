"""Edition schemas: the publish request (JSON or form), list and page queries, dumps."""
from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from ..services.editions import FORMATS, KINDS, PERIOD

_KIND = validate.OneOf(KINDS)


class EditionPublish(Schema):
    class Meta:
        unknown = RAISE

    chain = fields.String(required=True, validate=validate.Length(min=1, max=60))
    kind = fields.String(required=True, validate=_KIND)
    period = fields.String(validate=validate.Regexp(PERIOD, error="a quarter or a month: 2026-Q4 or 2026-10"))


class EditionPublishForm(EditionPublish):
    csrf_token = fields.String()  # checked by CSRFProtect before the view runs


class EditionListQuery(Schema):
    class Meta:
        unknown = RAISE

    chain = fields.String(validate=validate.Length(max=60))
    kind = fields.String(validate=_KIND)
    lang = fields.String()  # the language switch may ride along on any page


class EditionPageQuery(Schema):
    class Meta:
        unknown = RAISE

    page = fields.Integer(validate=validate.Range(min=1, max=100_000), load_default=1)
    per_page = fields.Integer(validate=validate.Range(min=1, max=500), load_default=50)
    lang = fields.String()


class DownloadQuery(Schema):
    class Meta:
        unknown = RAISE

    format = fields.String(validate=validate.OneOf(list(FORMATS)), load_default="csv")
    lang = fields.String()


class EditionDump(Schema):
    id = fields.String()
    kind = fields.String()
    chain_id = fields.String()
    chain_name_zh = fields.String()
    chain_name_en = fields.String()
    period = fields.String()
    title_zh = fields.String()
    title_en = fields.String()
    published_at = fields.String()
    item_count = fields.Integer()
    enterprise_count = fields.Integer()
    total_value = fields.Float(allow_none=True, dump_default=None)  # supply lists have none


class EditionRowDump(Schema):
    position = fields.Integer()
    record = fields.Dict()    # the DATA-FORMAT row: what the downloads contain
    display = fields.Dict()   # names and value for reading, not part of the file format
