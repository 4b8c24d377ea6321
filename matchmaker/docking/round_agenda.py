"""A round's agenda sheet (a table per leader, as a page and as XLSX) and the pairs the matching
engine suggests for it (top local suppliers of the open demand items of the round's chains)."""
from __future__ import annotations

import io
from itertools import groupby

from openpyxl import Workbook

from graph import item_feed, match_feed
from graph import rounds as repo
from graph.db import GraphDB

from ..matching.engine import Filters
from ..services.permissions import Principal, require_round_write
from ..tabular.cells import neutralise
from .rounds import get_round

SUGGESTED_DEMANDS, SUGGESTED_PER_DEMAND = 40, 3


def agenda(db: GraphDB, principal: Principal, round_id: str) -> dict:
    """{round, tables: [{table_no, leader_id, leader_name, leader_name_en, pairs}], tally}; a firm's
    accounts get only their own pairs' tables."""
    view = get_round(db, principal, round_id)
    tables = [{"table_no": no, "leader_id": pairs[0]["leader_id"], "leader_name": pairs[0].get("leader_name"),
               "leader_name_en": pairs[0].get("leader_name_en"), "pairs": pairs}
              for no, pairs in ((no, list(group)) for no, group in groupby(view["pairs"], key=lambda p: p["table_no"]))]
    return {**view, "tables": tables}


AGENDA_COLUMNS = {"zh": ("桌号", "链主企业", "需求", "供应商", "本地", "供应产品", "联系人", "结果"),
                  "en": ("Table", "Chain leader", "Demand item", "Supplier", "Local", "Supply item", "Contact",
                         "Outcome")}


def agenda_xlsx(view: dict, lang: str) -> bytes:
    """The agenda as a workbook: one sheet, a row per pair, grouped by table (headers in `lang`)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_sheet_title(view["round"]["title"]))
    sheet.append([_text(f"{view['round']['title']} · {view['round']['date']} · {view['round'].get('place') or ''}")])
    sheet.append(list(AGENDA_COLUMNS["zh" if lang == "zh" else "en"]))
    yes, no = ("是", "否") if lang == "zh" else ("yes", "no")
    for table in view["tables"]:
        for p in table["pairs"]:
            leader = _name(p, "leader", lang)
            supplier = _name(p, "supplier", lang)
            sheet.append([table["table_no"], _text(leader), _text(p.get("demand_name") or p["demand_id"]),
                          _text(supplier), yes if p.get("supplier_local") else no,
                          _text(p.get("supply_item_name") or ""), _text("; ".join(p.get("contacts") or [])),
                          p.get("outcome") or ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def suggestions(db: GraphDB, runtime, principal: Principal, round_id: str) -> list[dict]:
    """Pairs to tick: for the open demand items of the round's chains not served locally today
    (highest value first), the engine's best local suppliers, without pairs already in the round."""
    require_round_write(principal)
    view = get_round(db, principal, round_id)
    present = {(p["demand_id"], p["supplier_id"]) for p in view["pairs"]}
    demand_ids = repo.open_demands(db, view["round"]["chains"], SUGGESTED_DEMANDS)
    demands, out = item_feed.items_by_ids(db, "demand", demand_ids), []
    suppliers = runtime.engine().suppliers_for_many(demands, Filters(local_only=True), None, SUGGESTED_PER_DEMAND)
    for demand, ranked in zip(demands, suppliers):
        firms = match_feed.enterprises(db, [s.enterprise_id for s in ranked])
        for s in ranked:
            if (demand["id"], s.enterprise_id) in present:
                continue
            firm = firms.get(s.enterprise_id, {})
            out.append({"demand_item_id": demand["id"], "demand_name": demand.get("name"),
                        "leader_id": demand.get("enterprise_id"), "leader_name": demand.get("enterprise_name"),
                        "value": demand.get("value"), "supplier_id": s.enterprise_id,
                        "supplier_name": firm.get("name"), "supplier_name_en": firm.get("name_en"),
                        "supply_item_id": s.items[0].item_id if s.items else None, "score": s.score})
    return out


def _name(pair: dict, who: str, lang: str) -> str:
    """A firm's name in the sheet's language (the English one when stored), else its id."""
    english = pair.get(f"{who}_name_en") if lang == "en" else None
    return english or pair.get(f"{who}_name") or pair[f"{who}_id"]


def _sheet_title(title: str) -> str:
    cleaned = "".join(c for c in title if c not in "[]:*?/\\")[:31].strip()
    return cleaned or "agenda"


def _text(value: str) -> str:
    return neutralise(value) if isinstance(value, str) else value
