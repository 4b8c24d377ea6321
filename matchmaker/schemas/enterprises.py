"""Enterprise schemas."""
from marshmallow import RAISE, Schema, fields, validate

from .common import CERTIFICATION as _CERTIFICATION
from .common import ID, TIERS


class EnterpriseLoad(Schema):
    class Meta:
        unknown = RAISE

    id = fields.String(required=True, validate=ID)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    name_en = fields.String(validate=validate.Length(max=200), allow_none=True)
    role = fields.String(required=True, validate=validate.OneOf(["leader", "sme", "other"]))
    tier = fields.String(validate=validate.OneOf(TIERS), load_default="none")
    region = fields.String(required=True, validate=validate.Length(min=1, max=120))
    chains = fields.List(fields.String(validate=validate.Length(max=60)), load_default=list)
    certifications = fields.List(fields.String(validate=_CERTIFICATION), load_default=list)
    annual_procurement = fields.Float(validate=validate.Range(min=0), allow_none=True)
    local_procurement = fields.Float(validate=validate.Range(min=0), allow_none=True)
    description = fields.String(validate=validate.Length(max=4000), allow_none=True)


class EnterpriseListQuery(Schema):
    class Meta:
        unknown = RAISE

    role = fields.String(validate=validate.OneOf(["leader", "sme", "other"]))
    chain = fields.String(validate=validate.Length(max=60))
    q = fields.String(validate=validate.Length(max=100), load_default="")
    page = fields.Integer(validate=validate.Range(min=1, max=100_000), load_default=1)
    per_page = fields.Integer(validate=validate.Range(min=1, max=200), load_default=20)
    lang = fields.String()


class CertificateDump(Schema):
    name = fields.String()
    expires = fields.String(allow_none=True)
    valid = fields.Boolean()


class EnterpriseDump(Schema):
    id = fields.String()
    name = fields.String()
    name_en = fields.String(allow_none=True)
    role = fields.String()
    tier = fields.String(allow_none=True)
    region_code = fields.String(allow_none=True)
    region_name = fields.String(allow_none=True)
    local = fields.Boolean(allow_none=True)
    chain_ids = fields.List(fields.String())
    certifications = fields.List(fields.String())
    certificates = fields.List(fields.Nested(CertificateDump))
    annual_procurement = fields.Float(allow_none=True)
    local_procurement = fields.Float(allow_none=True)
    description = fields.String(allow_none=True)
    version = fields.Integer()
    updated_at = fields.String()
