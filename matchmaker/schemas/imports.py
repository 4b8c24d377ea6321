"""Import form fields and export query."""
from marshmallow import RAISE, Schema, fields, validate


class ImportForm(Schema):
    class Meta:
        unknown = RAISE

    kind = fields.String(required=True, validate=validate.OneOf(["enterprises", "supply", "demand"]))
    mode = fields.String(validate=validate.OneOf(["all_or_nothing", "valid_rows"]), load_default="all_or_nothing")
    dry_run = fields.Boolean(load_default=False)
    action = fields.String(validate=validate.OneOf(["preview", "import"]))  # the page's two buttons


class ExportQuery(Schema):
    class Meta:
        unknown = RAISE

    format = fields.String(validate=validate.OneOf(["csv", "xlsx"]), load_default="csv")
    chain = fields.String(validate=validate.Length(max=60))
    lang = fields.String()
