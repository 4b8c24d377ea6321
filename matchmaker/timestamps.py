"""Stored timestamps, formatted in one place: UTC ISO 8601 strings, which sort as they compare."""
from __future__ import annotations

from datetime import datetime, timezone


def stamp(at: datetime | None = None, *, precise: bool = False) -> str:
    """`at` (default now) in UTC to the second, or to the microsecond where two writes within a
    second must still order (item and enterprise revisions)."""
    moment = at or datetime.now(timezone.utc)
    moment = moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)
    return moment.isoformat(timespec="microseconds" if precise else "seconds")
