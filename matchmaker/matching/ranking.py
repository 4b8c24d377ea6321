"""Suppliers for a demand, best first, local first among equals, every score explained. Pure.

"Equally well": the score is read as a fit grade, strong (>= STRONG_FIT), good
(>= GOOD_FIT) or possible (>= MIN_FIT); two suppliers in the same grade fit equally
well. Within a grade, fully qualified suppliers come before any supplier missing a
required certification, then (for a demand preferring local supply) local
suppliers before others, then the higher score. A supplier of a lower grade never
outranks one of a higher grade, whatever its locality; below MIN_FIT an item is
not suggested at all.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .structured import capacity_cover, missing_certifications, tier_score, valid_certifications

STRONG_FIT = 0.7      # fit grades: the re-ranker's probability that the item fits
GOOD_FIT = 0.4
MIN_FIT = 0.15        # below this an item is not suggested at all
CAPACITY_WEIGHT = 0.05
TIER_WEIGHT = 0.03
ITEMS_SHOWN = 3       # matched supply items listed per supplier


@dataclass
class Need:
    id: str
    enterprise_id: str | None = None
    quantity: float | None = None
    unit: str | None = None
    required_certifications: list[str] = field(default_factory=list)
    prefer_local: bool = True


@dataclass
class ItemFit:
    """One candidate item with its text and category evidence (from the re-ranker)."""
    item_id: str
    enterprise_id: str
    fit: float                        # probability of a fit, text and category
    lexical: float = 0.0
    semantic: float = 0.0
    category: str = "none"            # same | feeds | sibling | chain | none
    certifications: list[str] = field(default_factory=list)   # item's and its firm's, with expiry
    capacity: float | None = None
    unit: str | None = None
    local: bool = False
    tier: str | None = None


@dataclass
class Suggestion:
    enterprise_id: str
    score: float
    band: int                         # the fit grade (see grade)
    items: list[ItemFit]
    missing_certifications: list[str]
    local: bool
    tier: str | None
    components: dict


def rank_suppliers(need: Need, fits: list[ItemFit], feedback: dict[str, float] | None = None,
                   today: date | None = None, limit: int = 10) -> list[Suggestion]:
    """One suggestion per supplier (its best item decides), ordered as the module says."""
    today = today or date.today()
    feedback = feedback or {}
    by_firm: dict[str, list[ItemFit]] = {}
    for item in sorted(fits, key=lambda f: -f.fit):
        if item.fit >= MIN_FIT or feedback.get(item.enterprise_id, 0) > 0:
            by_firm.setdefault(item.enterprise_id, []).append(item)
    standings = [_standing(need, items, feedback.get(firm, 0.0), today) for firm, items in by_firm.items()]
    standings.sort(key=lambda s: sort_key(s, need.prefer_local))
    return [_suggest(need, s) for s in standings[:limit]]  # only the shown ones are explained


def grade(score: float) -> int:
    """3 strong, 2 good, 1 possible, 0 below (only a confirmed supplier is shown there)."""
    return sum(score >= limit for limit in (MIN_FIT, GOOD_FIT, STRONG_FIT))


def sort_key(s, prefer_local: bool) -> tuple:
    """The order of suggestions (a Suggestion or a _Standing)."""
    return (-s.band, bool(s.missing_certifications), not (prefer_local and s.local), -s.score, s.enterprise_id)


@dataclass
class _Standing:
    """What orders one supplier among the others; explained in full only if it is shown."""
    enterprise_id: str
    items: list[ItemFit]
    feedback: float
    missing_certifications: list[str]
    cover: float | None
    capacity_part: float
    tier_part: float
    score: float
    band: int
    local: bool


def _standing(need: Need, items: list[ItemFit], feedback: float, today: date) -> _Standing:
    best = items[0]
    missing = missing_certifications(need.required_certifications, valid_certifications(best.certifications, today))
    cover = capacity_cover(best.capacity, need.quantity, best.unit, need.unit)
    capacity_part = CAPACITY_WEIGHT * (cover - 0.5) if cover is not None else 0.0
    tier_part = TIER_WEIGHT * tier_score(best.tier)
    score = max(0.0, best.fit + capacity_part + tier_part + feedback)
    return _Standing(best.enterprise_id, items, feedback, missing, cover, capacity_part, tier_part, round(score, 4),
                     grade(score), best.local)


def _suggest(need: Need, s: _Standing) -> Suggestion:
    best = s.items[0]
    components = {
        "fit": round(best.fit, 4), "text_lexical": round(best.lexical, 4), "text_semantic": round(best.semantic, 4),
        "category": best.category,
        "certifications_met": [c for c in need.required_certifications if c not in s.missing_certifications],
        "certifications_missing": s.missing_certifications,
        "capacity_cover": None if s.cover is None else round(s.cover, 4),
        "capacity": round(s.capacity_part, 4), "tier": round(s.tier_part, 4), "local": best.local,
        "locality_preferred": bool(need.prefer_local and best.local), "feedback": round(s.feedback, 4),
    }
    return Suggestion(s.enterprise_id, s.score, s.band, s.items[:ITEMS_SHOWN], s.missing_certifications,
                      best.local, best.tier, components)
