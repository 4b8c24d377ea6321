"""Rates over time: which month a snapshot is for, what it records, and the trend between two. Pure.

A snapshot records every rate of one month (scope 'all', each chain, each leader) as the graph stands
when it is taken (`taken_at`); it is kept and never rewritten: a second run for the same month and
scope does nothing. Only a month that has ended can be snapshotted (the current month is still moving).
"""
from __future__ import annotations

import re
from datetime import datetime, timezone

from ..errors import N_, Invalid

__all__ = ["month_of", "previous_month", "last_ended_month", "check_month", "snapshot_id", "snapshot_rows",
           "trend", "month_start", "UP", "DOWN", "FLAT"]

SCOPES = ("all", "chain", "leader")
UP, DOWN, FLAT = "up", "down", "flat"
TREND_EPSILON = 0.0005          # a change under 0.05 percentage points is no change
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def month_of(at: datetime) -> str:
    at = at.replace(tzinfo=timezone.utc) if at.tzinfo is None else at.astimezone(timezone.utc)
    return f"{at.year:04d}-{at.month:02d}"


def previous_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:])
    return f"{year - 1:04d}-12" if number == 1 else f"{year:04d}-{number - 1:02d}"


def month_start(month: str) -> str:
    """The first instant of the month as a stored timestamp (UTC ISO 8601), for range filters."""
    return f"{month}-01T00:00:00+00:00"


def last_ended_month(now: datetime) -> str:
    return previous_month(month_of(now))


def check_month(month: str | None, now: datetime) -> str:
    """The month to snapshot: `month` ('YYYY-MM', one that has ended) or, when None, the last ended one."""
    if month is None or month == "":
        return last_ended_month(now)
    if not isinstance(month, str) or not _MONTH.match(month):
        raise Invalid(N_("the month is not valid"), {"month": [N_("use YYYY-MM, e.g. 2026-10")]})
    if month >= month_of(now):
        raise Invalid(N_("the month has not ended yet"),
                      {"month": [N_("only a month that has ended can be snapshotted")]})
    return month


def snapshot_id(month: str, scope: str, scope_id: str | None) -> str:
    return f"{month}|{scope}|{scope_id or ''}"


def snapshot_rows(figures: dict, month: str, taken_at: str, with_potential: bool = True) -> list[dict]:
    """The snapshots of one month from a localization breakdown (analytics.localization.breakdown of all
    chains): scope 'all', one per chain, one per leader. Without the potential (no matching engine at
    hand) `potential` is None rather than a figure that only looks computed."""
    rows = [("all", None, figures["all"])]
    rows += [("chain", c, f) for c, f in sorted(figures["chains"].items())]
    rows += [("leader", l, f) for l, f in sorted(figures["leaders"].items())]
    return [_row(f, scope, i, month, taken_at, with_potential) for scope, i, f in rows]


def _row(figure, scope: str, scope_id: str | None, month: str, taken_at: str, with_potential: bool) -> dict:
    return {"id": snapshot_id(month, scope, scope_id), "month": month, "scope": scope, "scope_id": scope_id or "",
            "rate": _round(figure.rate), "potential": _round(figure.potential_rate) if with_potential else None,
            "target": figure.target,
            "local_value": float(figure.local_value), "contracted_value": float(figure.contracted_value),
            "total": float(figure.total), "taken_at": taken_at}


def _round(rate: float | None) -> float | None:
    return None if rate is None else round(rate, 6)


def trend(previous: float | None, current: float | None) -> str | None:
    """up / down / flat from the previous snapshot's rate to the current one; None when either is unknown."""
    if previous is None or current is None:
        return None
    if current - previous > TREND_EPSILON:
        return UP
    if previous - current > TREND_EPSILON:
        return DOWN
    return FLAT
