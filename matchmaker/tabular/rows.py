"""Validate and normalise the rows of a :class:`Table` against a file kind's columns."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import N_
from .columns import Column, columns_for, match_header
from .errors import ErrorLog, RowError
from .limits import TableLimits
from .reader import Table
from .values import CellError, clean, convert

__all__ = ["ParseResult", "parse_rows"]

Record = dict[str, object]


@dataclass
class ParseResult:
    """Accepted rows as ``(row_number, record)``, rejected cells (the first `log.cap` of them), warnings.

    `rows` counts the data rows read; `stopped_at` is the row after which reading stopped because
    the error log was full (only when the caller asked for that), else None.
    """

    valid: list[tuple[int, Record]] = field(default_factory=list)
    log: ErrorLog = field(default_factory=lambda: ErrorLog(TableLimits().max_errors))
    warnings: list[str] = field(default_factory=list)
    rows: int = 0
    stopped_at: int | None = None

    @property
    def errors(self) -> list[RowError]:
        return self.log.kept

    @property
    def rejected_rows(self) -> list[int]:
        """Row numbers with at least one kept error, in order."""
        return sorted({e.row for e in self.errors})


def parse_rows(kind: str, table: Table, *, log: ErrorLog | None = None,
               stop_when_full: bool = False) -> ParseResult:
    """Parse every row of *table* as *kind*; a row with any error is left out of ``valid``.

    With `stop_when_full`, reading ends once `log` is full (the caller would write nothing anyway).
    Raises :class:`FileFormatError` when the header lacks required columns or the file breaks a limit.
    """
    columns = columns_for(kind)
    mapping, header_warnings = match_header(kind, table.header)
    result = ParseResult(log=log or ErrorLog(TableLimits().max_errors))
    first_row_of: dict[str, int] = {}
    for row_number, cells in table.rows:
        result.rows += 1
        raw = {c.name: cells.get(mapping[c.name], "") if c.name in mapping else ""
               for c in columns}
        record, errors = _parse_row(kind, columns, row_number, raw)
        errors += _check_duplicate(row_number, record, first_row_of)
        if not errors:
            result.valid.append((row_number, record))
            continue
        result.log.add(errors)
        if stop_when_full and result.log.full:
            result.stopped_at = row_number
            break
    result.warnings = [*table.warnings, *header_warnings]  # the table's are complete once its rows are read
    return result


def _parse_row(kind: str, columns: list[Column], row: int,
               raw: dict[str, str]) -> tuple[Record, list[RowError]]:
    record: Record = {}
    errors: list[RowError] = []
    for column in columns:
        text = clean(raw[column.name])
        if not text:
            if column.required:
                errors.append(RowError(row, column.name, _required_reason(kind, column)))
            record[column.name] = [] if column.type in ("list", "certs") else column.default
            continue
        try:
            record[column.name] = convert(column, text)
        except CellError as exc:
            errors.append(RowError(row, column.name, str(exc)))
            record[column.name] = None
    return record, errors


def _required_reason(kind: str, column: Column) -> str:
    owner = "enterprise" if kind == "enterprises" else f"{kind} item"
    if column.name == "enterprise_id":
        return f"required: give the id of the enterprise this {kind} item belongs to"
    if column.choices:
        return f"required: give the {owner}'s {column.name} ({', '.join(column.choices)})"
    return f"required: give the {owner}'s {column.name}"


def _check_duplicate(row: int, record: Record, first_row_of: dict[str, int]) -> list[RowError]:
    item_id = record["id"]
    if not isinstance(item_id, str):
        return []
    first = first_row_of.setdefault(item_id, row)
    if first == row:
        return []
    return [RowError(row, "id", N_("duplicate id '%(id)s' (first on row %(first)s)") % {"id": item_id, "first": first})]
