"""Formula-like text (CSV injection: `=`, `+`, `-`, `@` leading) is neutralised in every export.

The exports: the interchange files (tabular.writer, also behind editions), the import templates'
code lists, the batch plan, the dashboard and a round's agenda. A neutralised cell starts with `'`
and no cell of a workbook is a formula.
"""
from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from matchmaker.docking.plan_export import plan_xlsx
from matchmaker.docking.round_agenda import agenda_xlsx
from matchmaker.services.dashboard_export import dashboard_xlsx
from matchmaker.tabular import write_csv, write_xlsx
from matchmaker.tabular.template import EXAMPLES, write_template

FORMULAS = ["=cmd|' /C calc'!A0", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "=HYPERLINK(\"http://x\")"]


def xlsx_texts(data: bytes) -> list[str]:
    """Every string cell of every sheet; asserts that no cell is a formula."""
    book = load_workbook(io.BytesIO(data))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    return [c.value for c in cells if isinstance(c.value, str)]


def assert_guarded(texts: list[str]) -> None:
    for formula in FORMULAS:
        found = [t for t in texts if formula in t]
        assert found and all(t.startswith("'") for t in found), (formula, found)


@pytest.mark.parametrize("formula", FORMULAS)
def test_interchange_files_guard_formulas(formula: str) -> None:
    record = {"id": "S1", "enterprise_id": "E1", "name": formula, "description": formula}
    rows = list(csv.reader(io.StringIO(write_csv("supply", [record]).decode("utf-8-sig"))))
    assert rows[1][2] == rows[1][3] == "'" + formula
    texts = xlsx_texts(write_xlsx("supply", [record]))
    assert "'" + formula in texts and formula not in texts


def test_template_code_lists_guard_formulas() -> None:
    codes = [("产业链 chain", [(f, f, f) for f in FORMULAS])]
    assert_guarded(xlsx_texts(write_template("supply", {**EXAMPLES["supply"], "name": FORMULAS[0]}, codes)))


def test_the_plan_guards_formulas() -> None:
    plan = {"chain": FORMULAS[1], "assignments": [{"leader_name": f, "supplier_name": f, "quantity": 1.0}
                                                  for f in FORMULAS]}
    assert_guarded(xlsx_texts(plan_xlsx(plan)))


def test_the_dashboard_guards_formulas() -> None:
    chains = [{"id": f"c{i}", "name": f, "rate": 0.4, "target": 0.5, "trend": "up", "last_snapshot": {"month": f},
               "gaps": 1, "weak": 0, "covered": 2, "open_demand_value": 10.0, "matches_confirmed": 0,
               "engagements_opened": 0, "contracts_signed": 0, "contracted_value_signed": 0}
              for i, f in enumerate(FORMULAS)]
    totals = {k: 0 for k in ("gaps", "weak", "covered", "open_demand_value", "matches_confirmed",
                             "engagements_opened", "contracts_signed")}
    board = {"month": "2026-11", "chains": chains, "totals": totals}
    assert_guarded(xlsx_texts(dashboard_xlsx(board, {}, lambda chain: chain["name"], {"up": "up"})))


def test_a_rounds_agenda_guards_formulas() -> None:
    pairs = [{"leader_id": "L1", "leader_name": f, "supplier_id": "S1", "supplier_name": f, "demand_id": "D1",
              "demand_name": f, "supply_item_name": f, "contacts": [f], "supplier_local": True} for f in FORMULAS]
    view = {"round": {"title": FORMULAS[0], "date": "2026-12-01", "place": FORMULAS[3]},
            "tables": [{"table_no": 1, "pairs": pairs}]}
    assert_guarded(xlsx_texts(agenda_xlsx(view, "en")))
