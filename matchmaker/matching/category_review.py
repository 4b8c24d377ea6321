"""Proposed categories as users see them: stored after a write, shown with an item, reviewed by officials.

No Flask; reads and writes through graph/; who may review is decided in services/permissions.py.
A review goes through the item write path (services.items.update_item), so the change feed,
the revision history and the derived chain and segment follow; then the choice is kept as
a confirmed or corrected suggestion, which later inference uses (category_model).
"""
from __future__ import annotations

from datetime import datetime, timezone

from graph import category_suggestions as suggestion_repo
from graph import chains as chain_repo
from graph.db import GraphDB

from ..errors import N_, Invalid, NotFound
from ..rules.vocab import ITEM_KINDS
from ..services.permissions import Principal, require_manager
from .category_model import classifier_for, invalidate
from .profile import item_text

STATUSES = suggestion_repo.STATUSES


def after_write(db: GraphDB, kind: str, records: list[dict]) -> None:
    """Store the top-3 proposals of the written items whose category the platform proposed, or
    that have none (records as services.records.item_to_graph makes them)."""
    proposed = [r for r in records if r["props"].get("category_proposed") or not r["props"].get("category_id")]
    if not proposed:
        return
    classifier = classifier_for(db, chain_repo.all_categories(db), chain_repo.chain_names(db))
    proposals = {}
    for record in proposed:
        props = record["props"]
        ranked = classifier.suggest(item_text(props.get("name"), props.get("description")), props.get("chain_id"))
        proposals[record["id"]] = [{"category_id": p.category_id, "confidence": p.confidence, "rank": n}
                                   for n, p in enumerate(ranked, start=1)]
    suggestion_repo.replace_proposals(db, kind, proposals, _now())


def with_suggestions(db: GraphDB, item: dict) -> dict:
    """The item plus `category_suggestions` and `category_confidence` (of its current category,
    None when an account chose it)."""
    suggestions = [_public(s) for s in suggestion_repo.of_item(db, item["kind"], item["id"])]
    confidence = None
    if item.get("category_proposed"):
        confidence = next((s["confidence"] for s in suggestions if s["category_id"] == item.get("category_id")), None)
    return {**item, "category_suggestions": suggestions, "category_confidence": confidence}


def review_queue(db: GraphDB, principal: Principal, chain_id: str | None = None,
                 status: str = "proposed") -> list[dict]:
    """Items with suggestions of this status, the least confident first (officials and admins)."""
    require_manager(principal)
    rows = suggestion_repo.review_queue(db, status, chain_id)
    for row in rows:
        row["suggestions"] = sorted(row["suggestions"], key=lambda s: s.get("rank") or 0)
    rows.sort(key=lambda r: (_top_confidence(r), r["item_id"]))
    return rows[:suggestion_repo.QUEUE_LIMIT]


def review(db: GraphDB, principal: Principal, kind: str, item_id: str, category_id: str,
           home_region: str) -> dict:
    """Confirm the proposed category or correct it; the item takes the chosen category."""
    from ..services import items as item_service

    require_manager(principal)
    if kind not in ITEM_KINDS:
        raise NotFound(f"no item kind '{kind}': use supply or demand")
    categories = {c["id"] for c in chain_repo.all_categories(db)}
    if category_id not in categories:
        raise Invalid(N_("pick a category of the taxonomy"), {"category_id": [N_("unknown category")]})
    before = item_service.get_item(db, principal, kind, item_id)
    open_top = [s for s in suggestion_repo.of_item(db, kind, item_id) if s["status"] == "proposed"][:1]
    item_service.update_item(db, principal, kind, item_id, {"category": category_id}, home_region)
    confirmed = before.get("category_proposed") and before.get("category_id") == category_id
    if not confirmed and open_top and open_top[0]["category_id"] == category_id:
        confirmed = True
    suggestion_repo.record_review(db, kind, item_id, category_id, "confirmed" if confirmed else "corrected",
                                  principal.email or principal.id or "", _now())
    invalidate(db)
    return with_suggestions(db, item_service.get_item(db, principal, kind, item_id))


def _top_confidence(row: dict) -> float:
    return max((s.get("confidence") or 0.0 for s in row["suggestions"]), default=0.0)


def _public(suggestion: dict) -> dict:
    return {k: suggestion.get(k) for k in ("category_id", "confidence", "rank", "status", "reviewed_by",
                                           "reviewed_at")}


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
