"""Sign-in, sign-up, token and approval schemas."""
from marshmallow import RAISE, Schema, fields, validate

from ..rules.vocab import FIRM_ACCOUNT_ROLES


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class TokenRequest(_Strict):
    email = fields.Email(required=True)
    password = fields.String(required=True, validate=validate.Length(max=200))
    name = fields.String(validate=validate.Length(max=80), load_default="api")


class SignUp(_Strict):
    rules_kind = "accounts"   # matchmaker.rules.accounts checks the fields; the OpenAPI document states it
    email = fields.Email(required=True)
    password = fields.String(required=True, validate=validate.Length(min=10, max=200))
    role = fields.String(required=True, validate=validate.OneOf(FIRM_ACCOUNT_ROLES))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    enterprise_id = fields.String(validate=validate.Length(max=64), allow_none=True, metadata={
        "description": "the firm's id as the person claims it: kept as claimed_enterprise_id for the approving "
                       "official to check; it links nothing"})


class Approval(_Strict):
    enterprise_id = fields.String(validate=validate.Length(min=1, max=64), allow_none=True)


class UserDump(Schema):
    id = fields.String()
    email = fields.String()
    role = fields.String()
    active = fields.Boolean()
    enterprise_id = fields.String(allow_none=True)
    claimed_enterprise_id = fields.String(allow_none=True, metadata={
        "description": "the enterprise a sign-up named: a claim, not verified, never a link"})
    name = fields.String(allow_none=True)
    created_at = fields.String()
