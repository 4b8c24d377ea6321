"""Supply and demand item schemas: loading (create, patch, list query) and dumping."""
from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from ..errors import N_
from ..rules.text import allowed_chars
from ..rules.values import MAX_AMOUNT, MAX_CERTIFICATION, MAX_CERTIFICATIONS
from ..rules.vocab import STATUSES, TIERS
from ..services.items import SORTS
from .common import ID as _ID


def _text(max_length: int, **kw) -> dict:
    """OpenAPI documentation of a rule (matchmaker.rules checks it; the schema checks shape only)."""
    return {"metadata": {"maxLength": max_length, **kw}}


# A segment id names its chain ('nev.upstream'); a Regexp, so that the OpenAPI document states it.
_SEGMENT = validate.Regexp(f"^{allowed_chars()}*[.]{allowed_chars()}*$",
                           error=N_("a segment id looks like 'nev.upstream'"))
_AMOUNT = {"metadata": {"minimum": 0, "maximum": MAX_AMOUNT}}
_CERTIFICATIONS = {"metadata": {"maxItems": MAX_CERTIFICATIONS, "description": "NAME or NAME@YYYY-MM-DD, "
                                f"at most {MAX_CERTIFICATION} characters each"}}


class _ItemBase(Schema):
    """Shape only: the rules of an item (sizes, ranges, dates, statuses) are matchmaker.rules.items."""

    class Meta:
        unknown = RAISE

    name = fields.String(required=True, **_text(200, minLength=1))
    description = fields.String(allow_none=True, **_text(5000))
    category = fields.String(allow_none=True, **_text(120))
    chain = fields.String(allow_none=True, **_text(60))
    unit = fields.String(allow_none=True, **_text(20))
    id = fields.String(**_text(64))
    enterprise_id = fields.String(**_text(64))


class SupplyItemLoad(_ItemBase):
    record_kind = "supply"
    capacity = fields.Float(allow_none=True, **_AMOUNT)
    certifications = fields.List(fields.String(), load_default=list, **_CERTIFICATIONS)
    status = fields.String(metadata={"enum": list(STATUSES["supply"])})


class DemandItemLoad(_ItemBase):
    record_kind = "demand"
    quantity = fields.Float(allow_none=True, **_AMOUNT)
    unit_price = fields.Float(allow_none=True, **_AMOUNT)
    required_certifications = fields.List(fields.String(), load_default=list, **_CERTIFICATIONS)
    prefer_local = fields.Boolean(load_default=True)
    current_supplier_region = fields.String(allow_none=True, **_text(120))
    deadline = fields.String(allow_none=True, metadata={"format": "date"})
    status = fields.String(metadata={"enum": list(STATUSES["demand"])})


LOAD_SCHEMAS = {"supply": SupplyItemLoad, "demand": DemandItemLoad}


class ItemListQuery(Schema):
    """Query string of list endpoints and pages; unknown parameters are refused."""

    class Meta:
        unknown = RAISE

    chain = fields.String(validate=validate.Length(max=60))
    segment = fields.String(validate=[validate.Length(max=80), _SEGMENT])
    category = fields.String(validate=validate.Length(max=120))
    enterprise = fields.String(validate=_ID)
    tier = fields.String(validate=validate.OneOf(TIERS, error=N_("not a known tier: choose one from the list")))
    local = fields.Boolean()
    certification = fields.String(validate=validate.Length(max=40))
    q = fields.String(validate=validate.Length(max=100))
    status = fields.String(validate=validate.OneOf(["published", "draft", "closed", "withdrawn", "all"]))
    sort = fields.String(validate=validate.OneOf(list(SORTS)), load_default="recent")
    page = fields.Integer(validate=validate.Range(min=1, max=100_000), load_default=1)
    per_page = fields.Integer(validate=validate.Range(min=1, max=200), load_default=20)
    lang = fields.String()  # the language switch may ride along on any page


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
    category_confidence = fields.Float(allow_none=True)          # read one item: of a proposed category
    category_suggestions = fields.List(fields.Dict())            # read one item: graph.category_suggestions
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
