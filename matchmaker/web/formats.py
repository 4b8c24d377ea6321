"""Numbers as people read them: money in 元/万元/亿元 (Chinese) or CNY thousands/millions (English)."""
from __future__ import annotations

from flask_babel import get_locale

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
