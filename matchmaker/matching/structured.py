"""The structured parts of a fit: certifications, capacity, tier, locality. Pure functions."""
from __future__ import annotations

from datetime import date
from functools import lru_cache

TIER_RANK = {"none": 0, "innovative": 1, "srsn": 2, "little_giant": 3, "champion": 4}
_UNIT_ALIASES = {"件": "pcs", "个": "pcs", "只": "pcs", "pc": "pcs", "pcs": "pcs", "piece": "pcs", "pieces": "pcs",
                 "套": "sets", "set": "sets", "sets": "sets", "台": "units", "unit": "units", "units": "units",
                 "t": "t", "吨": "t", "ton": "t", "tons": "t", "kg": "kg", "千克": "kg", "公斤": "kg",
                 "m": "m", "米": "m", "m2": "m2", "平方米": "m2", "片": "wafers", "wafer": "wafers"}


def cert_name(entry: str) -> str:
    return entry.split("@", 1)[0].strip().upper()


def valid_certifications(entries: list[str] | None, today: date) -> set[str]:
    """Certificate names held and not expired (`NAME` or `NAME@YYYY-MM-DD`)."""
    held = set()
    for entry in entries or []:
        name, _, expiry = entry.partition("@")
        if not expiry or _not_expired(expiry.strip(), today):
            held.add(name.strip().upper())
    return held


def _not_expired(expiry: str, today: date) -> bool:
    try:
        return date.fromisoformat(expiry) >= today
    except ValueError:
        return False


def missing_certifications(required: list[str] | None, held: set[str]) -> list[str]:
    return [r for r in required or [] if cert_name(r) not in held]


def same_unit(a: str | None, b: str | None) -> bool:
    """Units compare when both are known and mean the same (`件` = `pcs`); unknown units never conflict."""
    if not a or not b:
        return True
    return _unit(a) == _unit(b)


@lru_cache(maxsize=1024)  # a few dozen units in practice; ranking asks once per candidate supplier
def _unit(unit: str) -> str:
    key = unit.strip().lower()
    return _UNIT_ALIASES.get(key, key)


def capacity_cover(capacity: float | None, quantity: float | None, capacity_unit: str | None,
                   quantity_unit: str | None) -> float | None:
    """Share of the asked quantity the capacity covers (0..1), or None when it cannot be told."""
    if not capacity or not quantity or not same_unit(capacity_unit, quantity_unit):
        return None
    return min(1.0, capacity / quantity)


def tier_score(tier: str | None) -> float:
    return TIER_RANK.get(tier or "none", 0) / 4
