"""Rules of matchmaking rounds (对接会), pure: table numbers, what an outcome does to the
engagement, and the round's tally. The service (matchmaker.docking.rounds) applies them.
"""
from __future__ import annotations

from ..errors import N_, Conflict
from .stages import ACCEPTED, CLOSED, CONTACT, CONTRACTED, DECLINED, INVITED

OUTCOMES = ("met", "follow_up", "signed", "no_fit")
MET = ("met", "follow_up", "signed")   # outcomes in which the two firms met

__all__ = ["OUTCOMES", "assign_tables", "outcome_moves", "tally", "headline"]


def assign_tables(existing: list[dict], new: list[dict]) -> list[dict]:
    """Table numbers: each leader firm has one table in a round, numbered 1, 2, ... in the order
    leaders first appear; a leader already seated keeps its table.

    >>> assign_tables([{"leader_id": "A", "table_no": 1}], [{"leader_id": "B"}, {"leader_id": "A"}])
    [{'leader_id': 'B', 'table_no': 2}, {'leader_id': 'A', 'table_no': 1}]
    """
    tables = {p["leader_id"]: p["table_no"] for p in existing if p.get("table_no")}
    out = []
    for pair in new:
        if pair["leader_id"] not in tables:
            tables[pair["leader_id"]] = max(tables.values(), default=0) + 1
        out.append({**pair, "table_no": tables[pair["leader_id"]]})
    return out


def outcome_moves(outcome: str, status: str) -> list[str]:
    """The moves that bring an engagement now at `status` in line with a pair's outcome, in order
    (empty: nothing to do). Raises Conflict when the outcome contradicts an ended engagement.

    - signed: on to contracted (an invitation is first accepted on the supplier's behalf);
      an engagement already contracted gets its contract value corrected instead (the service).
    - no_fit: closed with reason no_fit, from any open stage.
    - met, follow_up: on to contact if it is still before it.
    """
    if status in (DECLINED, CLOSED) and outcome != "no_fit":
        raise Conflict(N_("the engagement of this pair has ended (declined or closed): invite the supplier again"))
    if outcome == "signed":
        if status == CONTRACTED:
            return []
        return ([ACCEPTED] if status == INVITED else []) + [CONTRACTED]
    if outcome == "no_fit":
        if status == CONTRACTED:
            raise Conflict(N_("the engagement of this pair is contracted: it cannot be recorded as no fit"))
        return [] if status in (DECLINED, CLOSED) else [CLOSED]
    if status == INVITED:
        return [ACCEPTED, CONTACT]
    return [CONTACT] if status == ACCEPTED else []


def tally(pairs: list[dict]) -> dict:
    """The round's figures from its pairs ({leader_id, supplier_id, outcome, value, supplier_local}).

    firms: distinct leaders and suppliers with a pair; met: pairs that met (met, follow-up or signed);
    signed: pairs signed, signed_firms the distinct firms of those, value their contract values
    (annual CNY) and local_value the part signed with local suppliers.
    """
    signed = [p for p in pairs if p.get("outcome") == "signed"]
    value = sum(_number(p.get("value")) for p in signed)
    return {
        "pairs": len(pairs),
        "firms": len({p["leader_id"] for p in pairs} | {p["supplier_id"] for p in pairs}),
        "leaders": len({p["leader_id"] for p in pairs}),
        "suppliers": len({p["supplier_id"] for p in pairs}),
        "met": sum(1 for p in pairs if p.get("outcome") in MET),
        "follow_up": sum(1 for p in pairs if p.get("outcome") == "follow_up"),
        "no_fit": sum(1 for p in pairs if p.get("outcome") == "no_fit"),
        "pending": sum(1 for p in pairs if not p.get("outcome")),
        "signed": len(signed),
        "signed_firms": len({p["leader_id"] for p in signed} | {p["supplier_id"] for p in signed}),
        "value": round(value, 2),
        "local_value": round(sum(_number(p.get("value")) for p in signed if p.get("supplier_local")), 2),
    }


def headline(figures: dict, lang: str) -> str:
    """The line public reports give: '29家企业签约10.81亿元' / '29 firms signed CNY 1.081 billion'.

    >>> headline({"signed_firms": 29, "value": 1_081_000_000}, "zh"), headline({"signed_firms": 29,
    ...     "value": 1_081_000_000}, "en")
    ('29家企业签约10.81亿元', '29 firms signed CNY 1.081 billion')
    >>> headline({"signed_firms": 2, "value": 3_500_000}, "zh"), headline({"signed_firms": 1, "value": 3_500_000}, "en")
    ('2家企业签约350万元', '1 firm signed CNY 3.5 million')
    """
    firms, amount = figures["signed_firms"], amount_text(figures["value"], lang)
    if lang == "zh":
        return f"{firms}家企业签约{amount}"
    return f"{firms} {'firm' if firms == 1 else 'firms'} signed {amount}"


def amount_text(value: float, lang: str) -> str:
    """A headline amount: 亿元 / 万元 to two decimals (zh), CNY billion / million to three (en)."""
    steps = ((1e8, "亿元", 2), (1e4, "万元", 2)) if lang == "zh" else ((1e9, " billion", 3), (1e6, " million", 3))
    for step, unit, decimals in steps:
        if abs(value) >= step:
            number = f"{value / step:,.{decimals}f}".rstrip("0").rstrip(".") + unit
            return number if lang == "zh" else f"CNY {number}"
    return f"{value:,.0f}元" if lang == "zh" else f"CNY {value:,.0f}"


def _number(value) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0

