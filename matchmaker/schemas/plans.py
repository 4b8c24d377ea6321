"""The batch plan request: one chain (id or name) or, without it, all chains."""
from marshmallow import Schema, fields, validate


class PlanLoad(Schema):
    chain = fields.String(load_default=None, allow_none=True, validate=validate.Length(1, 64))


class PlanQuery(Schema):
    """The plan page and its export: `chain` is a chain id, or `all`."""
    chain = fields.String(load_default=None, validate=validate.Length(1, 64))
