"""Validate and normalise the rows of a :class:`Table` against a file kind's columns."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import N_
from .columns import Column, columns_for, match_header
from .errors import RowError
from .reader import Table
from .values import CellError, clean, convert

__all__ = ["ParseResult", "parse_rows"]

Record = dict[str, object]


@dataclass
class ParseResult:
    """Accepted rows as ``(row_number, record)``, rejected cells, and warnings."""

    valid: list[tuple[int, Record]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def rejected_rows(self) -> list[int]:
        """Row numbers with at least one error, in order."""
        return sorted({e.row for e in self.errors})


def parse_rows(kind: str, table: Table) -> ParseResult:
    """Parse every row of *table* as *kind*; a row with any error is left out of ``valid``.

    Raises :class:`FileFormatError` when the header lacks required columns.
    """
    columns = columns_for(kind)
    mapping, header_warnings = match_header(kind, table.header)
    result = ParseResult(warnings=[*table.warnings, *header_warnings])
    first_row_of: dict[str, int] = {}
    for row_number, cells in table.rows:
        raw = {c.name: cells.get(mapping[c.name], "") if c.name in mapping else ""
               for c in columns}
        record, errors = _parse_row(kind, columns, row_number, raw)
        errors += _check_duplicate(row_number, record, first_row_of)
        if errors:
            result.errors.extend(errors)
        else:
            result.valid.append((row_number, record))
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
