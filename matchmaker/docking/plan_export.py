"""The batch plan as an XLSX workbook (openpyxl): one sheet of pairs, one of totals. Pure."""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from ..tabular.cells import neutralise

COLUMNS = ("leader_id", "leader_name", "demand_item_id", "demand_item_name", "supplier_id", "supplier_name",
           "supply_item_id", "supply_item_name", "quantity", "unit", "unit_price", "value", "fit")
TOTALS = ("chain", "local_value", "greedy_local_value", "rate_before", "rate_after")


def plan_xlsx(plan: dict, headers: dict[str, str] | None = None) -> bytes:
    """`headers` names the columns in the reader's language (default: the field names)."""
    headers = headers or {}
    book = Workbook(write_only=True)
    pairs = book.create_sheet(title="plan")
    pairs.append([headers.get(c, c) for c in COLUMNS])
    for row in plan["assignments"]:
        pairs.append([_cell(row.get(c)) for c in COLUMNS])
    totals = book.create_sheet(title="totals")
    for key in TOTALS:
        totals.append([headers.get(key, key), _cell(plan.get(key))])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value):
    if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", neutralise(str(value))) or None
