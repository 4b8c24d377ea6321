"""The dashboard as an XLSX workbook (openpyxl): one row per chain, then the totals. Pure."""
from __future__ import annotations

import io

from openpyxl import Workbook

from ..docking.plan_export import _cell

COLUMNS = ("chain_id", "chain", "rate", "target", "trend", "last_snapshot", "gaps", "weak", "covered",
           "open_demand_value", "matches_confirmed", "engagements_opened", "contracts_signed",
           "contracted_value_signed")


def dashboard_xlsx(board: dict, headers: dict[str, str], name, trend_names: dict[str, str]) -> bytes:
    """`headers` names the columns in the reader's language, `name(chain)` the chain's name in it, and
    `trend_names` the trend words (up, down, flat)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=board["month"])
    sheet.append([headers.get(c, c) for c in COLUMNS])
    for r in board["chains"]:
        last = r.get("last_snapshot") or {}
        sheet.append([_cell(r["id"]), _cell(name(r)), _pct(r["rate"]), _pct(r["target"]),
                      _cell(trend_names.get(r["trend"] or "", "")), _cell(last.get("month")), r["gaps"], r["weak"],
                      r["covered"], r["open_demand_value"], r["matches_confirmed"], r["engagements_opened"],
                      r["contracts_signed"],
                      r["contracted_value_signed"]])
    t = board["totals"]
    sheet.append([headers.get("total", "total"), None, None, None, None, None, t["gaps"], t["weak"], t["covered"],
                  t["open_demand_value"], t["matches_confirmed"], t["engagements_opened"], t["contracts_signed"],
                  None])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _pct(rate):
    """A rate as a percentage number with one decimal (40.0 for 0.4); None stays empty."""
    return None if rate is None else round(rate * 100, 1)
