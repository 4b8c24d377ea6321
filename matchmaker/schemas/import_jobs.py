"""Import jobs: the API's `async` switch, the list query, and one job as the API and pages show it."""
from datetime import datetime, timezone

from marshmallow import RAISE, Schema, fields, validate

from ..services.import_jobs import STATES


class ImportAsync(Schema):
    """POST /imports' query: `async=1` runs the import as a job (202); without it the import runs in the
    request (200/422) whatever the size, as API clients written before jobs expect."""

    class Meta:
        unknown = RAISE

    run_async = fields.Boolean(data_key="async", load_default=False, metadata={
        "description": "1: answer 202 at once with an import job (Location: /api/v1/import-jobs/{id}) and "
                       "import in the background; recommended for files over a few thousand rows. "
                       "0 or absent: import within the request"})
    lang = fields.String(load_only=True)


class ImportJobQuery(Schema):
    class Meta:
        unknown = RAISE

    limit = fields.Integer(load_default=20, validate=validate.Range(1, 100))
    lang = fields.String(load_only=True)


def _iso(seconds: float | None) -> str | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, timezone.utc).isoformat(timespec="seconds")


class _Time(fields.String):
    """Unix seconds as stored -> ISO 8601 UTC."""

    def _serialize(self, value, attr, obj, **kwargs):
        return _iso(value)


class JobError(Schema):
    message = fields.String(metadata={"description": "in English; the pages translate it"})
    problems = fields.Dict(attribute="fields", data_key="fields", metadata={"description": "per field, as in errors"})


class ImportJobDump(Schema):
    id = fields.String()
    kind = fields.String()
    filename = fields.String()
    mode = fields.String()
    dry_run = fields.Boolean()
    owner_id = fields.String()
    enterprise_id = fields.String(allow_none=True)
    state = fields.String(metadata={"enum": list(STATES), "description": "interrupted: its heartbeat stopped "
                                    "before it finished; importing the same file again completes it"})
    finished = fields.Boolean(metadata={"description": "true when the state will not change any more"})
    rows_total = fields.Integer(allow_none=True, metadata={"description": "data rows in the file, once read"})
    rows_validated = fields.Integer()
    rows_accepted = fields.Integer(allow_none=True, metadata={"description": "valid rows to write"})
    rows_written = fields.Integer()
    report = fields.Dict(allow_none=True, metadata={"description": "the ImportReport, when done; "
                                                    "generated_ids keeps the first 2,000 (generated_ids_total)"})
    error = fields.Nested(JobError, allow_none=True, metadata={"description": "why it failed or stopped"})
    created_at = _Time()
    started_at = _Time(allow_none=True)
    finished_at = _Time(allow_none=True)
    heartbeat_at = _Time()
