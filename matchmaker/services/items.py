"""Supply lists (SMEs) and demand lists (leaders): create, edit, end, read, browse."""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timezone

from graph import enterprises as enterprise_repo
from graph import items as item_repo
from graph.db import GraphDB
from graph import item_feed
from graph.item_search import SORTS, ItemQuery

from ..errors import N_, Conflict, Forbidden, Invalid, NotFound
from ..matching import category_review
from ..tabular import COLUMNS
from ..rules.vocab import ENDED, STATUSES
from .catalog import catalog_for
from .permissions import (READ_ALL, Principal, can_read_item, may_write_item, owns, require_item_write,
                          require_login)
from .records import item_to_graph
from .resolve import Resolver

ID_PREFIX = {"supply": "S", "demand": "D"}
__all__ = ["SORTS", "STATUSES", "Page", "list_items", "get_item", "item_to_edit", "status_choices", "create_item",
           "update_item", "end_item", "to_record"]


@dataclass
class Page:
    items: list[dict]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


_FILTER_KEYS = {"chain": "chain_id", "segment": "segment_id", "category": "category_id",
                "enterprise": "enterprise_id", "tier": "tier", "local": "local",
                "certification": "certification", "category_ids": "category_ids", "chain_ids": "chain_ids"}


def list_items(db: GraphDB, principal: Principal, kind: str, args: dict) -> Page:
    """Items matching the (schema-checked) query args that this principal may see."""
    filters = {_FILTER_KEYS[k]: v for k, v in args.items() if k in _FILTER_KEYS}
    filters["statuses"] = _visible_statuses(principal, kind, args.get("status"), filters.get("enterprise_id"))
    query = ItemQuery(kind, filters, (args.get("q") or "").split(), args.get("sort", "recent"),
                      (args.get("page", 1) - 1) * args.get("per_page", 20), args.get("per_page", 20),
                      date.today().isoformat())
    ids, total = catalog_for(db, kind).search(db, query)
    items = item_feed.items_by_ids(db, kind, ids)
    return Page([{**i, "kind": kind} for i in items], total, args.get("page", 1), args.get("per_page", 20))


def _visible_statuses(principal: Principal, kind: str, status: str | None, enterprise_id: str | None) -> list[str]:
    if status in (None, "published"):
        return ["published"]
    if principal.role not in READ_ALL and not owns(principal, enterprise_id):
        raise Forbidden(N_("only officials, or a firm filtering its own items, see unpublished items"))
    return list(STATUSES[kind]) if status == "all" else [status]


def get_item(db: GraphDB, principal: Principal, kind: str, item_id: str) -> dict:
    item = item_repo.get(db, kind, item_id)
    if item is None or not can_read_item(principal, item):
        raise NotFound(f"no {kind} item with id '{item_id}'")
    return {**item, "kind": kind}


def item_to_edit(db: GraphDB, principal: Principal, kind: str, item_id: str) -> dict:
    """An item for its edit form: 404 unless this principal may read it, then 401/403 unless it may change it."""
    item = get_item(db, principal, kind, item_id)
    require_item_write(principal, kind, item["enterprise_id"], item["enterprise_id"])
    return item


def status_choices(kind: str, current: str | None = None) -> list[str]:
    """The statuses an item form offers: published and draft, plus the ended status of an ended item.

    The current status is always offered, so saving the form keeps a withdrawn (closed) item
    withdrawn; its owner republishes it only by picking another status.
    """
    choices = [s for s in STATUSES[kind] if s != ENDED[kind]]
    return choices + [current] if current == ENDED[kind] else choices


def create_item(db: GraphDB, principal: Principal, kind: str, data: dict, home_region: str) -> dict:
    enterprise_id = data.get("enterprise_id") or principal.enterprise_id
    require_item_write(principal, kind, None, enterprise_id)
    item_id = data.get("id") or f"{ID_PREFIX[kind]}-{uuid.uuid4().hex[:12]}"
    if item_repo.get(db, kind, item_id) is not None:
        raise Conflict(f"a {kind} item with id '{item_id}' exists already", {"id": [N_("already used")]})
    if not enterprise_id:
        raise Invalid(N_("say whose item this is"),
                      {"enterprise_id": [N_("required for accounts without an enterprise")]})
    if "name" not in data:
        raise Invalid(N_("the item needs a name"), {"name": [N_("required")]})
    record = {**_blank_record(kind), **_record_values(data), "id": item_id, "enterprise_id": enterprise_id}
    return _save(db, principal, kind, record, home_region, "create", sorted(data))


def update_item(db: GraphDB, principal: Principal, kind: str, item_id: str, changes: dict,
                home_region: str) -> dict:
    existing = get_item(db, principal, kind, item_id)
    require_item_write(principal, kind, existing["enterprise_id"],
                       changes.get("enterprise_id", existing["enterprise_id"]))
    if changes.get("id", item_id) != item_id:
        raise Invalid(N_("an item's id cannot change"), {"id": [N_("remove it or send the same id")]})
    record = {**to_record(kind, existing), **_record_values(changes)}
    return _save(db, principal, kind, record, home_region, "update", sorted(changes))


def end_item(db: GraphDB, principal: Principal, kind: str, item_id: str, home_region: str) -> dict:
    """Withdraw a supply item or close a demand item; it stays in the history."""
    return update_item(db, principal, kind, item_id, {"status": ENDED[kind]}, home_region)


def item_history(db: GraphDB, principal: Principal, kind: str, item_id: str) -> list[dict]:
    """Revisions name accounts, so only the owner, officials and admins see them."""
    item = get_item(db, principal, kind, item_id)
    require_login(principal)
    if not may_write_item(principal, kind, item["enterprise_id"], item["enterprise_id"]):
        raise Forbidden(N_("only the owner and officials see an item's history"))
    return item_repo.history(db, kind, item_id)


def _save(db: GraphDB, principal: Principal, kind: str, record: dict, home_region: str,
          action: str, changed: list[str]) -> dict:
    ref = Resolver(db, home_region)
    owners = enterprise_repo.roles_of(db, [record["enterprise_id"]])
    graph, errors, _warnings = item_to_graph(kind, 0, record, ref, owners)
    if errors:
        raise Invalid(N_("the item cannot be saved"), {e.column: [e.reason] for e in errors})
    graph["changes"] = json.dumps(changed)
    now = datetime.now(timezone.utc).isoformat(timespec="microseconds")
    item_repo.upsert_many(db, kind, [graph], now, actor=principal.email or principal.id, action=action)
    category_review.after_write(db, kind, [graph])
    return get_item(db, principal, kind, record["id"])


def _blank_record(kind: str) -> dict:
    return {c.name: None for c in COLUMNS[kind]}


def _record_values(data: dict) -> dict:
    """Schema output -> DATA-FORMAT record values (dates as ISO strings)."""
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in data.items()}


def to_record(kind: str, item: dict) -> dict:
    """A stored item as a DATA-FORMAT record (the export row)."""
    record = {c.name: item.get(c.name) for c in COLUMNS[kind]}
    record["category"] = item.get("category_id")
    record["chain"] = item.get("chain_id")
    if kind == "demand":
        record["prefer_local"] = item.get("prefer_local", True)
    return record
