"""The docking funnel: how far engagements got, how fast, and what they turned into. Pure.

Input is the projection `graph.funnel.projection` reads: engagements as dicts
``{id, status, demand_value, value, supplier_local, chain_id, leader_id, reason, opened_at}``
and their events ``{engagement_id, from_status, to_status, at}`` (ISO 8601 UTC strings).

Definitions (docs/DOCKING.md, "Funnel"):

- **Cumulative**: an engagement counts at every stage of FUNNEL_ORDER up to the furthest one
  it reached (from its events and its status). Leader-side moves may skip stages (a contract
  signed at a round goes from accepted to contracted at once); the skipped stages count as
  passed, so each stage's count is never above the previous one.
- **Conversion** from a stage to the next is count(next) / count(stage); None when no
  engagement reached the stage.
- **Days per stage**: from the event entering a stage to the next status change (to a later
  stage, or to declined/closed). Engagements still in a stage are *not* counted (the figure
  covers finished stays only, so it needs no clock); a skipped stage has no stay.
  The median is taken over the finished stays.
- **Declined / closed**: counts, and how many gave each reason.
- **Contracted value**: the sum of `value` (annual contract value, CNY) of engagements now
  contracted; the local part those whose supplier is local.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from statistics import median
from typing import Callable, Iterable

from ..docking.stages import FUNNEL_ORDER

__all__ = ["funnel", "funnel_by", "funnels", "furthest_stage", "stage_stays"]

_RANK = {stage: n for n, stage in enumerate(FUNNEL_ORDER)}
ENDED = ("declined", "closed")


def furthest_stage(status: str, events: Iterable[dict]) -> int:
    """Index in FUNNEL_ORDER of the furthest stage reached (0: invited, the opening stage)."""
    reached = [_RANK[e["to_status"]] for e in events if e.get("to_status") in _RANK]
    if status in _RANK:
        reached.append(_RANK[status])
    return max(reached, default=0)


def stage_stays(events: list[dict], opened_at: str | None = None) -> dict[str, float]:
    """{stage: days} of the finished stays of one engagement in FUNNEL_ORDER stages.

    A stay starts at the event entering the stage (the opening for `invited` when no event
    records it) and ends at the next event that changes the status; a contract correction
    (from = to) is not a change.
    """
    changes = sorted((e for e in events if e.get("from_status") != e.get("to_status")), key=lambda e: e["at"])
    if opened_at and not any(e.get("to_status") == "invited" for e in changes):
        changes.insert(0, {"to_status": "invited", "at": opened_at})
    stays: dict[str, float] = {}
    for entered, left in zip(changes, changes[1:]):
        stage = entered["to_status"]
        if stage in _RANK and stage != FUNNEL_ORDER[-1]:
            stays[stage] = _days(entered["at"], left["at"])
    return stays


def funnel(engagements: list[dict], events: list[dict]) -> dict:
    """The funnel of these engagements: stages, conversions, days, endings and contracted value.

    >>> g = [{"id": "G1", "status": "contracted", "demand_value": 100.0, "value": 80.0, "supplier_local": True}]
    >>> e = [{"engagement_id": "G1", "from_status": None, "to_status": "invited", "at": "2026-01-01T00:00:00+00:00"},
    ...      {"engagement_id": "G1", "from_status": "invited", "to_status": "accepted",
    ...       "at": "2026-01-03T00:00:00+00:00"},
    ...      {"engagement_id": "G1", "from_status": "accepted", "to_status": "contracted",
    ...       "at": "2026-01-05T00:00:00+00:00"}]
    >>> f = funnel(g, e)
    >>> [s["count"] for s in f["stages"]], f["stages"][0]["median_days"], f["contracted_local_value"]
    ([1, 1, 1, 1, 1, 1], 2.0, 80.0)
    """
    return _aggregate(_facts(engagements, events))


def funnel_by(engagements: list[dict], events: list[dict], key: Callable[[dict], str | None]) -> dict[str, dict]:
    """{key value: funnel} of the engagements grouped by `key` (e.g. chain or leader)."""
    return funnels(engagements, events, by=key)["by"]


def funnels(engagements: list[dict], events: list[dict], **keys: Callable[[dict], str | None]) -> dict:
    """The whole funnel and, per named key, the funnels of the groups: {"funnel": ..., name: {value:
    funnel}}. Each engagement's history is read once however many groupings are asked for."""
    facts = _facts(engagements, events)
    out: dict = {"funnel": _aggregate(facts)}
    for name, key in keys.items():
        groups: dict[str, list[tuple]] = defaultdict(list)
        for fact in facts:
            groups[key(fact[0]) or ""].append(fact)
        out[name] = {k: _aggregate(group) for k, group in sorted(groups.items())}
    return out


def _facts(engagements: list[dict], events: list[dict]) -> list[tuple[dict, int, dict[str, float]]]:
    """(engagement, furthest stage index, finished stays) of each engagement."""
    history: dict[str, list[dict]] = defaultdict(list)
    for event in events:
        history[event["engagement_id"]].append(event)
    return [(g, furthest_stage(g["status"], history.get(g["id"], ())),
             stage_stays(history.get(g["id"], []), g.get("opened_at"))) for g in engagements]


def _aggregate(facts: list[tuple[dict, int, dict[str, float]]]) -> dict:
    counts = [0] * len(FUNNEL_ORDER)
    values = [0.0] * len(FUNNEL_ORDER)
    stays: dict[str, list[float]] = defaultdict(list)
    ended = {status: Counter() for status in ENDED}
    contracted = contracted_local = 0.0
    for g, furthest, own_stays in facts:
        for n in range(furthest + 1):
            counts[n] += 1
            values[n] += _number(g.get("demand_value"))
        for stage, days in own_stays.items():
            stays[stage].append(days)
        if g["status"] in ended:
            ended[g["status"]][g.get("reason") or "other"] += 1
        if g["status"] == "contracted":
            contracted += _number(g.get("value"))
            if g.get("supplier_local"):
                contracted_local += _number(g.get("value"))
    stages = []
    for n, stage in enumerate(FUNNEL_ORDER):
        following = counts[n + 1] if n + 1 < len(counts) else None
        stages.append({
            "stage": stage, "count": counts[n], "demand_value": round(values[n], 2),
            "conversion": (round(following / counts[n], 4) if following is not None and counts[n] else None),
            "median_days": round(median(stays[stage]), 2) if stays.get(stage) else None,
            "finished_stays": len(stays.get(stage, ())),
        })
    return {
        "engagements": len(facts), "stages": stages,
        **{status: {"count": sum(c.values()), "reasons": dict(sorted(c.items()))} for status, c in ended.items()},
        "contracted_value": round(contracted, 2), "contracted_local_value": round(contracted_local, 2),
    }


def _days(start: str, end: str) -> float:
    return max(0.0, (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds() / 86400)


def _number(value) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0
