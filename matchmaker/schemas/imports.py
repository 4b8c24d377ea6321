"""Import form fields (upload, and the staged upload's confirm and discard) and export query."""
from marshmallow import RAISE, Schema, fields, validate

from ..rules.vocab import FILE_KINDS
from ..services.imports import MODES


class ImportForm(Schema):
    class Meta:
        unknown = RAISE

    kind = fields.String(required=True, validate=validate.OneOf(FILE_KINDS))
    mode = fields.String(validate=validate.OneOf(MODES), load_default="all_or_nothing")
    dry_run = fields.Boolean(load_default=False)
    action = fields.String(validate=validate.OneOf(["preview", "import"]))  # the page's two buttons


class StagedImportForm(Schema):
    """The import page's "Import these rows": the previewed upload's token and what to do with rejected rows."""

    class Meta:
        unknown = RAISE

    token = fields.String(required=True)
    mode = fields.String(validate=validate.OneOf(MODES), load_default="all_or_nothing")


class StagedDiscardForm(Schema):
    class Meta:
        unknown = RAISE

    token = fields.String(required=True)


class ExportQuery(Schema):
    class Meta:
        unknown = RAISE

    format = fields.String(validate=validate.OneOf(["csv", "xlsx"]), load_default="csv")
    chain = fields.String(validate=validate.Length(max=60))
    lang = fields.String()
