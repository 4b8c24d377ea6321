"""Numbers and times as people read them: money in 元/万元/亿元 (Chinese) or CNY thousands/millions (English);
stored UTC times in the home region's time zone to the minute."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask_babel import get_locale, gettext

from ..errors import N_

_ZH_STEPS = ((1e8, "亿元"), (1e4, "万元"))
_EN_STEPS = ((1e9, "billion"), (1e6, "million"))


def money_text(value, lang: str) -> str:
    """12_500_000 -> '1,250万元' (zh) or 'CNY 12.5 million' (en); small sums in full; none -> '—'."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return "—"
    if lang == "zh":
        for step, unit in _ZH_STEPS:
            if abs(value) >= step:
                return f"{_short(value / step)}{unit}"
        return f"{value:,.0f}元"
    for step, unit in _EN_STEPS:
        if abs(value) >= step:
            return f"CNY {_short(value / step)} {unit}"
    return f"CNY {value:,.0f}"


def _short(scaled: float) -> str:
    """At most two decimals, trailing zeros dropped: 1250.0 -> '1,250', 1.234 -> '1.23'."""
    return f"{scaled:,.2f}".rstrip("0").rstrip(".")


def money(value) -> str:
    """The Jinja filter: money_text in the page's language."""
    return money_text(value, str(get_locale()))


# Times: stored as ISO 8601 in UTC (a stamp without an offset is UTC); people read them in the home region's
# time zone, to the minute.
HOME_ZONE = ZoneInfo("Asia/Shanghai")
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def when_text(stamp, lang: str, now: datetime | None = None) -> str:
    """'2026-11-30T09:56:15+00:00' -> '11月30日 17:56' (zh, this year), '2026-11-30 17:56' (zh, another year)
    or '30 Nov 2026, 17:56' (en). A bare date stays as it is; none -> '—'; what is not a time, unchanged."""
    if stamp is None or stamp == "":
        return "—"
    if isinstance(stamp, datetime):
        moment = stamp
    else:
        text = str(stamp).strip()
        if len(text) <= 10:  # a date (a deadline) has no time of day to convert
            return text
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return text
    moment = (moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment).astimezone(HOME_ZONE)
    clock = f"{moment.hour:02d}:{moment.minute:02d}"
    if lang == "zh":
        this_year = (now or datetime.now(timezone.utc)).astimezone(HOME_ZONE).year
        if moment.year == this_year:
            return f"{moment.month}月{moment.day}日 {clock}"
        return f"{moment.year}-{moment.month:02d}-{moment.day:02d} {clock}"
    return f"{moment.day} {_EN_MONTHS[moment.month - 1]} {moment.year}, {clock}"


def when(stamp) -> str:
    """The Jinja filter: when_text in the page's language."""
    return when_text(stamp, str(get_locale()))


# An item's change history (graph/items.py Revision) as people read it: "Annual capacity 3,000 → 5,000".
ACTIONS = {"create": N_("Created"), "update": N_("Changed"), "import": N_("Imported from a file")}
_STATUS_SHORT = {"published": N_("published"), "draft": N_("draft"), "withdrawn": N_("withdrawn"),
                 "closed": N_("closed")}


def revision_view(revision: dict) -> dict:
    """{'at', 'actor', 'action', 'changes': [text, ...]}: each changed field by its label, with 'old → new'
    when the revision stores the values (updates since Nov 2026), else the label alone."""
    from .labels import field_label

    def shown(field: str, value) -> str:
        if value is None or value == "" or value == []:
            return "—"
        if field == "status":
            return gettext(_STATUS_SHORT[value]) if value in _STATUS_SHORT else str(value)
        if isinstance(value, bool):
            return gettext("yes") if value else gettext("no")
        if isinstance(value, (int, float)):
            return f"{int(value):,}" if value == int(value) else f"{value:,.2f}".rstrip("0")
        if isinstance(value, list):
            return "、".join(str(v) for v in value) if str(get_locale()) == "zh" else ", ".join(map(str, value))
        return str(value)

    try:
        changes = json.loads(revision.get("changes") or "[]")
    except (TypeError, ValueError):
        changes = []
    if isinstance(changes, dict):
        texts = [f"{field_label(f)} {shown(f, pair[0])} → {shown(f, pair[1])}"
                 for f, pair in changes.items() if isinstance(pair, list) and len(pair) == 2]
    elif revision.get("action") == "create":
        texts = []  # every field was set: the item page shows them
    else:  # revisions store only the changed fields' names: their labels
        texts = [field_label(f) for f in changes if isinstance(f, str) and f not in ("id", "enterprise_id")]
    action = revision.get("action")
    return {"at": when(revision.get("at")), "actor": revision.get("actor") or "",
            "action": gettext(ACTIONS[action]) if action in ACTIONS else (action or ""), "changes": texts}
