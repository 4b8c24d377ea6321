"""Matching as users see it: suppliers for a demand item, opportunities for an SME, verdicts.

Takes plain values and the process's MatchRuntime; reads through graph/ functions;
raises the app's domain errors. Who may see what is decided in services/permissions.py.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime, timezone

from graph import feedback as feedback_repo
from graph import item_feed, match_feed
from graph.db import GraphDB

from ..errors import N_, NotFound
from ..services import items as item_service
from ..services.permissions import (Principal, require_feedback, require_matches_of_demand,
                                    require_opportunities_of)
from .engine import MAX_OFFERS, Filters
from .feedback import feedback_effects
from .ranking import MIN_FIT, Suggestion, grade
from .structured import capacity_cover, missing_certifications, valid_certifications


def suppliers_for_demand(db: GraphDB, runtime, principal: Principal, demand_id: str, filters: Filters,
                         limit: int = 10) -> list[dict]:
    demand = item_service.get_item(db, principal, "demand", demand_id)
    require_matches_of_demand(principal, demand)
    engine = runtime.engine()
    effects = _feedback(db, runtime, demand)
    ranked = engine.suppliers_for(demand, filters, effects, limit)
    firms, names = match_feed.suggestion_details(db, [s.enterprise_id for s in ranked], "supply",
                                                 [i.item_id for s in ranked for i in s.items])
    return [_suggestion(s, firms.get(s.enterprise_id, {"id": s.enterprise_id}), names) for s in ranked]


def opportunities_for_enterprise(db: GraphDB, runtime, principal: Principal, enterprise_id: str,
                                 filters: Filters, limit: int = 10, today: date | None = None) -> list[dict]:
    require_opportunities_of(principal, enterprise_id)
    firm = match_feed.enterprises(db, [enterprise_id]).get(enterprise_id)
    if firm is None:
        raise NotFound(N_("no enterprise with id '%(id)s'") % {"id": enterprise_id})
    offers = match_feed.offers_of(db, enterprise_id, MAX_OFFERS)
    filters.exclude_enterprise = enterprise_id
    best = runtime.engine().demands_for(offers, filters)
    demands = {d["id"]: d for d in item_feed.items_by_ids(db, "demand", list(best))}
    today = today or date.today()
    ranked = [_opportunity(demands[i], fit, offer, firm, today) for i, (fit, offer) in best.items() if i in demands]
    ranked = [o for o in ranked if o["components"]["fit"] >= MIN_FIT]
    ranked.sort(key=lambda o: (-o["band"], bool(o["missing_certifications"]), not o["components"]["locality_preferred"],
                               -o["score"], o["demand_item"]["id"]))
    return ranked[:limit]


def record_feedback(db: GraphDB, principal: Principal, demand_id: str, enterprise_id: str, verdict: str,
                    reason: str | None) -> dict:
    demand = item_service.get_item(db, principal, "demand", demand_id)
    require_feedback(principal, demand)
    if not match_feed.enterprises(db, [enterprise_id]):
        raise NotFound(N_("no enterprise with id '%(id)s'") % {"id": enterprise_id})
    stored = feedback_repo.record(db, {
        "id": f"F-{uuid.uuid4().hex[:12]}", "demand_id": demand_id, "enterprise_id": enterprise_id,
        "verdict": verdict, "reason": reason or "", "by": principal.email or principal.id,
        "at": datetime.now(timezone.utc).isoformat(timespec="seconds")})
    if stored is None:
        raise NotFound(N_("that demand item no longer exists"))
    return stored


def _feedback(db: GraphDB, runtime, demand: dict) -> dict[str, float]:
    verdicts = feedback_repo.latest_of_leader(db, demand["enterprise_id"]) if demand.get("enterprise_id") else []
    if not verdicts:
        return {}
    vectors = runtime.vectors
    texts = [_text(demand)] + [_text(v) for v in verdicts]
    encoded = vectors.vectors(texts) if vectors is not None else [None] * len(texts)
    rows = [{**v, "vector": vec} for v, vec in zip(verdicts, encoded[1:])]
    return feedback_effects(demand["id"], encoded[0], rows)


def _text(item: dict) -> str:
    return " ".join(p for p in (item.get("name"), item.get("description")) if p)


def _suggestion(s: Suggestion, firm: dict, names: dict[str, str]) -> dict:
    return {
        "enterprise": {"id": firm["id"], "name": firm.get("name"), "name_en": firm.get("name_en"),
                       "region": firm.get("region_code"), "local": bool(firm.get("local")), "tier": firm.get("tier")},
        "supply_items": [{"id": i.item_id, "name": names.get(i.item_id, ""), "fit": round(i.fit, 4)}
                         for i in s.items],
        "score": s.score, "band": s.band, "components": s.components,
        "missing_certifications": s.missing_certifications,
    }


def _opportunity(demand: dict, fit, offer: dict, firm: dict, today: date) -> dict:
    held = valid_certifications([*(offer.get("certifications") or []), *(firm.get("certifications") or [])], today)
    missing = missing_certifications(demand.get("required_certifications"), held)
    cover = capacity_cover(offer.get("capacity"), demand.get("quantity"), offer.get("unit"), demand.get("unit"))
    score = round(fit.fit + (0.05 * (cover - 0.5) if cover is not None else 0.0), 4)
    local_preferred = bool(demand.get("prefer_local", True) and firm.get("local"))
    return {
        "demand_item": {"id": demand["id"], "name": demand.get("name"), "enterprise_id": demand.get("enterprise_id"),
                        "enterprise_name": demand.get("enterprise_name"), "value": demand.get("value"),
                        "quantity": demand.get("quantity"), "unit": demand.get("unit"),
                        "deadline": demand.get("deadline")},
        "supply_item": {"id": offer["id"], "name": offer.get("name")},
        "score": score, "band": grade(score), "missing_certifications": missing,
        "components": {"fit": round(fit.fit, 4), "text_lexical": round(fit.lexical, 4),
                       "text_semantic": round(fit.semantic, 4), "category": fit.category,
                       "certifications_missing": missing, "capacity_cover": cover,
                       "locality_preferred": local_preferred},
    }
