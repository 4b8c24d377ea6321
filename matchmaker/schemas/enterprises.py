"""Enterprise schemas: shape only; the rules of an enterprise are matchmaker.rules.enterprise."""
from marshmallow import RAISE, Schema, fields, validate

from ..rules.values import MAX_AMOUNT, MAX_CERTIFICATIONS
from ..rules.vocab import ENTERPRISE_ROLES, TIERS


class EnterpriseLoad(Schema):
    """Shape only: the rules of an enterprise are matchmaker.rules.enterprise (metadata documents them)."""
    record_kind = "enterprises"

    class Meta:
        unknown = RAISE

    id = fields.String(required=True, metadata={"maxLength": 64})
    name = fields.String(required=True, metadata={"minLength": 1, "maxLength": 200})
    name_en = fields.String(allow_none=True, metadata={"maxLength": 200})
    role = fields.String(required=True, metadata={"enum": list(ENTERPRISE_ROLES)})
    tier = fields.String(load_default="none", metadata={"enum": list(TIERS)})
    region = fields.String(required=True, metadata={"maxLength": 120})
    chains = fields.List(fields.String(), load_default=list)
    certifications = fields.List(fields.String(), load_default=list, metadata={"maxItems": MAX_CERTIFICATIONS})
    annual_procurement = fields.Float(allow_none=True, metadata={
        "minimum": 0, "maximum": MAX_AMOUNT, "description": "leaders only"})
    local_procurement = fields.Float(allow_none=True, metadata={
        "minimum": 0, "maximum": MAX_AMOUNT, "description": "leaders only; at most annual_procurement"})
    description = fields.String(allow_none=True, metadata={"maxLength": 5000})
    contact_person = fields.String(allow_none=True, metadata={"maxLength": 64})
    phone = fields.String(allow_none=True, metadata={"maxLength": 64, "example": "028-8888 6666 转 801"})
    email = fields.String(allow_none=True, metadata={"maxLength": 200, "format": "email"})
    website = fields.String(allow_none=True, metadata={"maxLength": 200, "example": "https://www.example.cn"})


class EnterpriseListQuery(Schema):
    class Meta:
        unknown = RAISE

    role = fields.String(validate=validate.OneOf(ENTERPRISE_ROLES))
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
    contact_person = fields.String(allow_none=True, metadata={"description": "signed-in callers only (else null)"})
    phone = fields.String(allow_none=True, metadata={"description": "signed-in callers only (else null)"})
    email = fields.String(allow_none=True, metadata={"description": "signed-in callers only (else null)"})
    website = fields.String(allow_none=True, metadata={"description": "signed-in callers only (else null)"})
    credit_code = fields.String(allow_none=True, metadata={
        "description": "the id when it is a valid Unified Social Credit Code (GB 32100-2015), else null"})
    version = fields.Integer()
    updated_at = fields.String()
