"""Supply and demand item schemas: loading (create, patch, list query) and dumping."""
from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from ..errors import N_
from ..services.items import SORTS, STATUSES
from .common import CERTIFICATION as _CERTIFICATION
from .common import ID as _ID
from .common import TIERS

_TEXT = validate.Length(min=1, max=200)


class _ItemBase(Schema):
    class Meta:
        unknown = RAISE

    name = fields.String(required=True, validate=_TEXT)
    description = fields.String(validate=validate.Length(max=4000), allow_none=True)
    category = fields.String(validate=validate.Length(max=120), allow_none=True)
    chain = fields.String(validate=validate.Length(max=60), allow_none=True)
    unit = fields.String(validate=validate.Length(max=20), allow_none=True)


class SupplyItemLoad(_ItemBase):
    id = fields.String(validate=_ID)
    enterprise_id = fields.String(validate=_ID)
    capacity = fields.Float(validate=validate.Range(min=0), allow_none=True)
    certifications = fields.List(fields.String(validate=_CERTIFICATION), load_default=list)
    status = fields.String(validate=validate.OneOf(STATUSES["supply"]))


class DemandItemLoad(_ItemBase):
    id = fields.String(validate=_ID)
    enterprise_id = fields.String(validate=_ID)
    quantity = fields.Float(validate=validate.Range(min=0), allow_none=True)
    unit_price = fields.Float(validate=validate.Range(min=0), allow_none=True)
    required_certifications = fields.List(fields.String(validate=_CERTIFICATION), load_default=list)
    prefer_local = fields.Boolean(load_default=True)
    current_supplier_region = fields.String(validate=validate.Length(max=120), allow_none=True)
    deadline = fields.Date(allow_none=True)
    status = fields.String(validate=validate.OneOf(STATUSES["demand"]))


LOAD_SCHEMAS = {"supply": SupplyItemLoad, "demand": DemandItemLoad}


class ItemListQuery(Schema):
    """Query string of list endpoints and pages; unknown parameters are refused."""

    class Meta:
        unknown = RAISE

    chain = fields.String(validate=validate.Length(max=60))
    segment = fields.String(validate=validate.Length(max=80))
    category = fields.String(validate=validate.Length(max=120))
    enterprise = fields.String(validate=_ID)
    tier = fields.String(validate=validate.OneOf(TIERS))
    local = fields.Boolean()
    certification = fields.String(validate=validate.Length(max=40))
    q = fields.String(validate=validate.Length(max=100))
    status = fields.String(validate=validate.OneOf(["published", "draft", "closed", "withdrawn", "all"]))
    sort = fields.String(validate=validate.OneOf(list(SORTS)), load_default="recent")
    page = fields.Integer(validate=validate.Range(min=1, max=100_000), load_default=1)
    per_page = fields.Integer(validate=validate.Range(min=1, max=200), load_default=20)
    lang = fields.String()  # the language switch may ride along on any page

    @validates_schema
    def _segment_needs_no_chain(self, data, **kwargs):
        if "segment" in data and "." not in data["segment"]:
            raise ValidationError(N_("a segment id looks like 'nev.upstream'"), "segment")


class ItemDump(Schema):
    id = fields.String()
    kind = fields.String()
    enterprise_id = fields.String()
    enterprise_name = fields.String(allow_none=True)
    enterprise_name_en = fields.String(allow_none=True)
    name = fields.String()
    description = fields.String(allow_none=True)
    category_id = fields.String(allow_none=True)
    category_name_zh = fields.String(allow_none=True)
    category_name_en = fields.String(allow_none=True)
    category_proposed = fields.Boolean()
    chain_id = fields.String(allow_none=True)
    segment_id = fields.String(allow_none=True)
    unit = fields.String(allow_none=True)
    capacity = fields.Float(allow_none=True)
    certifications = fields.List(fields.String())
    quantity = fields.Float(allow_none=True)
    unit_price = fields.Float(allow_none=True)
    value = fields.Float(allow_none=True)
    required_certifications = fields.List(fields.String())
    prefer_local = fields.Boolean(allow_none=True)
    current_supplier_region = fields.String(allow_none=True)
    deadline = fields.String(allow_none=True)
    status = fields.String()
    local = fields.Boolean(allow_none=True)
    tier = fields.String(allow_none=True)
    region_code = fields.String(allow_none=True)
    version = fields.Integer()
    created_at = fields.String()
    updated_at = fields.String()
