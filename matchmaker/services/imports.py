"""Bulk import of DATA-FORMAT files: validate every row, then write, or write nothing.

A file with a rejected row changes nothing unless the caller asks for
`valid_rows`. Rows are upserted by `id`, so re-importing a file is a no-op
apart from the version counters. Writes go in batches of BATCH rows; all
checking happens before the first write.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Callable

from graph import enterprises as enterprise_repo
from graph import items as item_repo
from graph.db import GraphDB
from graph.errors import GraphUnavailable

from ..errors import N_, Forbidden, Invalid
from ..matching import category_review, warm
from ..rules.vocab import FILE_KINDS as KINDS
from ..tabular import FileFormatError, RowError, parse_rows
from ..tabular.errors import ErrorLog
from ..tabular.limits import TableLimits
from ..tabular.reader import open_table
from ..tabular.rows import ParseResult
from ..timestamps import stamp
from .import_interrupted import ImportInterrupted
from .items import ID_PREFIX
from .permissions import Principal, may_import_row, may_manage_enterprises
from .records import enterprise_to_graph, item_to_graph
from .resolve import Resolver

MODES = ("all_or_nothing", "valid_rows")
BATCH = 2000
SYSTEM = Principal("system", "admin", None, "system")  # the CLI and seeding act as this

Progress = Callable[[int], None]
Checked = Callable[["ImportReport"], None]


@dataclass
class ImportReport:
    """What an import did. Errors and warnings are capped (TableLimits.max_errors): the report keeps
    the first ones and counts the rest, so a file of bad rows gives a small answer."""

    kind: str
    filename: str
    mode: str
    rows: int = 0
    accepted: int = 0
    written: int = 0
    applied: bool = False
    log: ErrorLog = field(default_factory=lambda: ErrorLog(TableLimits().max_errors))
    warnings: list[str] = field(default_factory=list)
    warnings_total: int = 0
    stopped_at: int | None = None  # all_or_nothing stopped validating after this row: the log was full
    generated_ids: list[tuple[int, str]] = field(default_factory=list)  # (row, id) of item rows without one

    @property
    def errors(self) -> list[RowError]:
        return self.log.kept

    @property
    def errors_total(self) -> int:
        return self.log.total

    @property
    def errors_omitted(self) -> int:
        return self.log.omitted

    @property
    def rejected_rows(self) -> int:
        return self.log.rejected_rows

    def warn(self, warnings: list[str]) -> None:
        self.warnings += warnings[:max(0, self.log.cap - len(self.warnings))]
        self.warnings_total += len(warnings)

    def as_dict(self) -> dict:
        return {"kind": self.kind, "filename": self.filename, "mode": self.mode, "rows": self.rows,
                "accepted": self.accepted, "rejected": self.rejected_rows, "written": self.written,
                "applied": self.applied, "warnings": self.warnings, "warnings_total": self.warnings_total,
                "generated_ids": [{"row": row, "id": item_id} for row, item_id in self.generated_ids],
                "errors": [{"row": e.row, "column": e.column, "reason": e.reason} for e in self.errors],
                "errors_total": self.errors_total, "errors_omitted": self.errors_omitted,
                "stopped_at_row": self.stopped_at}


STOPPED = N_("validation stopped at row %(row)s after %(errors)s errors: in all-or-nothing mode nothing would "
             "be imported anyway; correct these rows, or import the valid rows to check every row")


def import_file(db: GraphDB, kind: str, data: bytes, filename: str, *, home_region: str,
                mode: str = "all_or_nothing", dry_run: bool = False,
                progress: Progress | None = None, principal: Principal = SYSTEM,
                vectors: warm.TextVectors | None = None, vector_progress: Progress | None = None,
                limits: TableLimits = TableLimits(), reading: Progress | None = None,
                checked: Checked | None = None) -> ImportReport:
    """Check a file and, unless dry_run or refused by mode, upsert its rows.

    Firms may import only their own items: other rows are rejected, row by row. The written
    items' text vectors are then stored in `vectors` (the CLI's; `vector_progress` counts
    texts), or, inside a web request, in the bound store in the background (matching.warm).
    The file is read within `limits`; in all_or_nothing mode validation stops once the error log
    is full, since nothing would be written. `reading` is called with 1 per data row read and
    `checked` with the report when every row is checked and the writing starts (import jobs
    follow both: services.import_jobs).
    """
    if kind not in KINDS:
        raise Invalid(f"unknown kind {kind!r}", {"kind": [f"use one of {', '.join(KINDS)}"]})
    if mode not in MODES:
        raise Invalid(f"unknown mode {mode!r}", {"mode": [f"use one of {', '.join(MODES)}"]})
    report = ImportReport(kind, filename, mode, log=ErrorLog(limits.max_errors))
    parsed = parse_file(kind, data, filename, limits, report, reading)
    require_may_import(principal, kind)
    report.generated_ids = _generate_ids(kind, parsed.valid)
    valid = _owned_rows(db, principal, kind, parsed.valid, report)
    records = _to_graph(db, kind, valid, home_region, report)
    report.accepted = len(records)
    kept = {rec["id"] for rec in records}
    report.generated_ids = [(row, item_id) for row, item_id in report.generated_ids if item_id in kept]
    report.log.kept.sort(key=lambda e: (e.row, e.column))
    if dry_run or (report.errors_total and mode == "all_or_nothing"):
        return report
    if checked:
        checked(report)
    report.written = _write(db, kind, records, progress)
    report.applied = True
    _warm(kind, records, vectors, vector_progress)
    return report


def require_may_import(principal: Principal, kind: str) -> None:
    """Enterprise files are for officials and admins; item rows are checked one by one (_owned_rows)."""
    if kind == "enterprises" and not may_manage_enterprises(principal):
        raise Forbidden("only officials and admins import enterprises")


def parse_file(kind: str, data: bytes, filename: str, limits: TableLimits, report: ImportReport,
               reading: Progress | None = None) -> ParseResult:
    """The file step of import_file, no graph: read and validate into `report` (rows, errors, warnings).

    Raises Invalid when the file cannot be read or breaks a limit.
    """
    try:
        table = open_table(data, filename, limits=limits)
        if reading:
            table.rows = _counted(table.rows, reading)
        parsed = parse_rows(kind, table, log=report.log,
                            stop_when_full=report.mode == "all_or_nothing")
    except FileFormatError as exc:
        # The reader's message as it is (catalogued, so pages translate it); the file is the field.
        raise Invalid(exc.message, {"file": [exc.message]}) from None
    report.rows, report.stopped_at = parsed.rows, parsed.stopped_at
    if parsed.stopped_at is not None:
        report.warn([STOPPED % {"row": parsed.stopped_at, "errors": report.log.total}])
    report.warn(parsed.warnings)
    return parsed


def _counted(rows, reading: Progress):
    for row in rows:
        reading(1)
        yield row


def _generate_ids(kind: str, valid: list) -> list[tuple[int, str]]:
    """Give each item row without an id a new one, as the item pages do (services.items)."""
    if kind == "enterprises":
        return []
    generated = []
    for row, rec in valid:
        if not rec.get("id"):
            rec["id"] = f"{ID_PREFIX[kind]}-{uuid.uuid4().hex[:12]}"
            generated.append((row, rec["id"]))
    return generated


def _warm(kind: str, records: list[dict], vectors, progress: Progress | None) -> None:
    if kind == "enterprises":
        return
    if vectors is not None:
        warm.warm_rows(vectors, records, progress)
    else:
        warm.warm_rows_later(warm.bound(), records)


def _owned_rows(db: GraphDB, principal: Principal, kind: str, valid: list, report: ImportReport) -> list:
    """Rows the principal may write (services.permissions.may_import_row, as for any item write)."""
    if kind == "enterprises":
        return valid
    owners = item_repo.owners_of(db, kind, [rec["id"] for _, rec in valid])
    kept = []
    for row, rec in valid:
        owner, new_owner = owners.get(rec["id"]), rec["enterprise_id"]
        if may_import_row(principal, kind, owner, new_owner):
            kept.append((row, rec))
        elif may_import_row(principal, kind, None, new_owner):  # its own firm, but another firm's item id
            report.log.add([RowError(row, "id", N_("item '%(id)s' belongs to another enterprise: "
                                                   "give your item a different id") % {"id": rec["id"]})])
        else:
            report.log.add([RowError(row, "enterprise_id", N_("you may import only your own enterprise's "
                                                              "items, not those of '%(firm)s'")
                                     % {"firm": new_owner})])
    return kept


def _to_graph(db: GraphDB, kind: str, valid: list, home_region: str, report: ImportReport) -> list[dict]:
    ref = Resolver(db, home_region)
    owners = {}
    if kind != "enterprises":
        owners = enterprise_repo.roles_of(db, sorted({rec["enterprise_id"] for _, rec in valid}))
    records = []
    for row, rec in valid:
        if kind == "enterprises":
            graph, errors, warnings = enterprise_to_graph(row, rec, ref)
        else:
            graph, errors, warnings = item_to_graph(kind, row, rec, ref, owners)
        report.log.add(errors)
        report.warn(warnings)
        if graph is not None:
            records.append(graph)
    return records


def _write(db: GraphDB, kind: str, records: list[dict], progress: Progress | None) -> int:
    written = 0
    for start in range(0, len(records), BATCH):
        batch = records[start:start + BATCH]
        # Stamped per batch: the item catalog follows changes by updated_at, so a
        # row must not carry a time much older than its commit.
        now = stamp()
        try:
            if kind == "enterprises":
                enterprise_repo.upsert_many(db, batch, now)
            else:
                item_repo.upsert_many(db, kind, batch, now)
                category_review.after_write(db, kind, batch)
        except GraphUnavailable as exc:  # the batches before stay written: say how far it got
            raise ImportInterrupted(written, len(records), exc) from exc
        written += len(batch)
        if progress:
            progress(len(batch))
    return written
