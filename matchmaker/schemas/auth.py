"""Sign-in, sign-up, token and approval schemas."""
from marshmallow import RAISE, Schema, fields, post_load, validate

from ..rules.signups import REASONS
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
                       "official to check; it links nothing. An 18-character value must be a valid Unified Social "
                       "Credit Code; with `region`, the official may create the firm from it"})
    region = fields.String(validate=validate.Length(max=120), allow_none=True, metadata={
        "description": "the firm's region (a name such as 成都市双流区 or a 6-digit code), for a firm not yet "
                       "in the directory"})


class Approval(_Strict):
    enterprise_id = fields.String(validate=validate.Length(min=1, max=64), allow_none=True, metadata={
        "description": "link to this firm of the directory"})
    create_enterprise = fields.Boolean(load_default=False, metadata={
        "description": "instead: create the firm the sign-up describes (its credit code, name, region) and link it"})


class ApprovalForm(_Strict):
    """The approval page's radio choice: `create`, `link:<id>` (a picked firm) or `typed` (the id box)."""
    pick = fields.String(load_default="typed", validate=validate.Length(max=80))
    enterprise_id = fields.String(validate=validate.Length(max=64), load_default=None)

    @post_load
    def to_approval(self, data: dict, **_) -> dict:
        pick = data["pick"]
        if pick == "create":
            return {"create_enterprise": True}
        if pick.startswith("link:"):
            return {"enterprise_id": pick[5:]}
        return {"enterprise_id": data.get("enterprise_id")}


class PendingQuery(_Strict):
    """The approval page's picker search: firms for one sign-up (`for`) by name or id."""
    q = fields.String(load_default="", validate=validate.Length(max=100))
    for_user = fields.String(data_key="for", load_default=None, validate=validate.Length(max=40))
    lang = fields.String()


class Rejection(_Strict):
    reason = fields.String(required=True, validate=validate.OneOf(tuple(REASONS)))
    note = fields.String(load_default="", validate=validate.Length(max=500))


class UserDump(Schema):
    id = fields.String()
    email = fields.String()
    role = fields.String()
    active = fields.Boolean()
    enterprise_id = fields.String(allow_none=True)
    claimed_enterprise_id = fields.String(allow_none=True, metadata={
        "description": "the enterprise a sign-up named: a claim, not verified, never a link"})
    claimed_region = fields.String(allow_none=True, metadata={"description": "the region code a sign-up gave"})
    rejected_reason = fields.String(allow_none=True, metadata={"enum": list(REASONS)})
    name = fields.String(allow_none=True)
    created_at = fields.String()
