"""Notifications (list query, mark-read body, one notification) and the account's alert setting."""
from marshmallow import RAISE, Schema, fields, validate

from .common import ID, JsonBoolean


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class NotificationQuery(_Strict):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=20, validate=validate.Range(1, 100))
    unread = fields.Boolean(load_default=False, metadata={"description": "only unread notifications"})
    lang = fields.String(load_only=True)  # the language switch may ride along on any page


class MarkRead(_Strict):
    ids = fields.List(fields.String(validate=ID), load_default=None, validate=validate.Length(max=200),
                      metadata={"description": "your notification ids; others' and unknown ids are ignored"})
    everything = JsonBoolean(data_key="all", load_default=False,
                                metadata={"description": "true marks all your notifications read"})


class MarkReadForm(_Strict):
    """The notifications page: one notification (`id`) or all of them (`all`)."""
    id = fields.String(validate=ID)
    everything = fields.Boolean(data_key="all", load_default=False)


class NotificationDump(Schema):
    id = fields.String()
    kind = fields.String(metadata={"description": "e.g. demand_alert"})
    title = fields.String(metadata={"description": "the message in English"})
    title_key = fields.String(metadata={"description": "the message key, rendered with params"})
    params = fields.Dict(metadata={"description": "values of the message, with the ids it is about"})
    link = fields.String(metadata={"description": "path of the page it is about"})
    created_at = fields.String()
    read_at = fields.String(allow_none=True)


class MarkReadResult(Schema):
    marked = fields.Integer(metadata={"description": "notifications of yours now read"})
    ignored = fields.List(fields.String(), metadata={"description": "ids that are not your notifications"})
    unread = fields.Integer()


class AccountForm(_Strict):
    """The account page's form (a checkbox sends text)."""
    alerts_enabled = fields.Boolean(required=True, metadata={
        "description": "in-app alerts when a new demand item fits your firm's supply items"})


class AccountPatch(AccountForm):
    """PATCH /api/v1/account: JSON true or false, as the document says."""
    alerts_enabled = JsonBoolean(required=True, metadata=AccountForm._declared_fields["alerts_enabled"].metadata)


class AccountDump(Schema):
    id = fields.String()
    email = fields.String()
    role = fields.String()
    enterprise_id = fields.String(allow_none=True)
    alerts_enabled = fields.Boolean()
