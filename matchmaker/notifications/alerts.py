"""Demand alerts: when a demand item becomes published, the firms whose published supply items fit
it at least `min_fit` (the re-ranker's fit probability) hear of it, once per firm, naming the
demand and their best fitting item. The demand's own firm is never alerted; accounts that turned
alerts off are left out by the store's `recipients`.
"""
from __future__ import annotations

from typing import Iterable, Protocol

from .inbox import Message, notify_firms
from .messages import DEMAND_ALERT, TITLES
from .store import NotificationStore

DEFAULT_MIN_FIT = 0.7


class Fit(Protocol):
    """What alerts read of a match candidate (matchmaker.matching.ranking.ItemFit)."""
    item_id: str
    enterprise_id: str
    fit: float


def becomes_published(kind: str, item: dict, previous_status: str | None) -> bool:
    """A demand item created published, or moved to published from any other status."""
    return kind == "demand" and item.get("status") == "published" and previous_status != "published"


def best_fit_per_firm(demand: dict, fits: Iterable[Fit], min_fit: float) -> dict[str, Fit]:
    """{firm id: its best fitting item} over the fits at or above `min_fit`, the demand's own firm left out."""
    best: dict[str, Fit] = {}
    for fit in fits:
        if fit.fit < min_fit or fit.enterprise_id == demand.get("enterprise_id"):
            continue
        if fit.enterprise_id not in best or fit.fit > best[fit.enterprise_id].fit:
            best[fit.enterprise_id] = fit
    return best


def alert_message(demand: dict, fit: Fit, supply_name: str) -> Message:
    params = {"demand": demand.get("name") or demand["id"], "demand_id": demand["id"],
              "leader": demand.get("enterprise_name") or demand.get("enterprise_id") or "",
              "supply": supply_name or fit.item_id, "supply_id": fit.item_id, "fit": round(float(fit.fit), 3)}
    if demand.get("enterprise_name_en"):
        params["leader_en"] = demand["enterprise_name_en"]
    return Message(DEMAND_ALERT, TITLES[DEMAND_ALERT], params, f"/demand/{demand['id']}", demand["id"])


def send_demand_alerts(store: NotificationStore, demand: dict, fits: Iterable[Fit], supply_names: dict[str, str],
                       min_fit: float, now: str) -> int:
    """Alert the fitting firms' accounts; returns the notifications stored."""
    best = best_fit_per_firm(demand, fits, min_fit)
    messages = {firm: alert_message(demand, fit, supply_names.get(fit.item_id, "")) for firm, fit in best.items()}
    return notify_firms(store, messages, now) if messages else 0
