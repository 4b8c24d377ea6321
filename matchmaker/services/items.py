"""Supply lists (SMEs) and demand lists (leaders): create, edit, end, read, browse.

Create is create (an existing id is a conflict naming its owner) and update is update
(against the version the editor read, compared and written in one transaction). The
functions take an item repository (matchmaker.services.item_port); a GraphDB is
wrapped in the graph-backed one.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timezone

from graph.db import GraphDB
from graph.item_search import SORTS, ItemQuery

from ..errors import N_, Conflict, Forbidden, Invalid, NotFound
from ..matching.warm import warm_item
from ..notifications import publish_alerts
from ..tabular import COLUMNS
from ..rules.vocab import ENDED, STATUSES
from .graph_items import GraphItemRepository
from .item_port import ItemRepository
from .permissions import (READ_ALL, Principal, can_read_item, may_write_item, owns, require_item_write,
                          require_login)
from .records import item_to_graph

ID_PREFIX = {"supply": "S", "demand": "D"}
__all__ = ["SORTS", "STATUSES", "Page", "StaleVersion", "list_items", "get_item", "item_to_edit", "status_choices",
           "create_item", "update_item", "end_item", "to_record"]
Store = ItemRepository | GraphDB


class StaleVersion(Conflict):
    """The item changed after the editor read it: nothing was written."""

    code = "stale_version"


def _repo(store: Store) -> ItemRepository:
    return GraphItemRepository(store) if isinstance(store, GraphDB) else store


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


def list_items(store: Store, principal: Principal, kind: str, args: dict) -> Page:
    """Items matching the (schema-checked) query args that this principal may see."""
    filters = {_FILTER_KEYS[k]: v for k, v in args.items() if k in _FILTER_KEYS}
    filters["statuses"] = _visible_statuses(principal, kind, args.get("status"), filters.get("enterprise_id"))
    query = ItemQuery(kind, filters, (args.get("q") or "").split(), args.get("sort", "recent"),
                      (args.get("page", 1) - 1) * args.get("per_page", 20), args.get("per_page", 20),
                      date.today().isoformat())
    repo = _repo(store)
    ids, total = repo.search(query)
    items = repo.items_by_ids(kind, ids)
    return Page([{**i, "kind": kind} for i in items], total, args.get("page", 1), args.get("per_page", 20))


def _visible_statuses(principal: Principal, kind: str, status: str | None, enterprise_id: str | None) -> list[str]:
    if status in (None, "published"):
        return ["published"]
    if principal.role not in READ_ALL and not owns(principal, enterprise_id):
        raise Forbidden(N_("only officials, or a firm filtering its own items, see unpublished items"))
    return list(STATUSES[kind]) if status == "all" else [status]


def get_item(store: Store, principal: Principal, kind: str, item_id: str) -> dict:
    item = _repo(store).get(kind, item_id)
    if item is None or not can_read_item(principal, item):
        raise NotFound(_NO_ITEM[kind] % {"id": item_id})
    return {**item, "kind": kind}


def item_to_edit(store: Store, principal: Principal, kind: str, item_id: str) -> dict:
    """An item for its edit form: 404 unless this principal may read it, then 401/403 unless it may change it."""
    item = get_item(store, principal, kind, item_id)
    require_item_write(principal, kind, item["enterprise_id"], item["enterprise_id"])
    return item


def status_choices(kind: str, current: str | None = None) -> list[str]:
    """The statuses an item form offers: published and draft, plus the ended status of an ended item.

    The current status is always offered, so saving the form keeps a withdrawn (closed) item
    withdrawn; its owner republishes it only by picking another status.
    """
    choices = [s for s in STATUSES[kind] if s != ENDED[kind]]
    return choices + [current] if current == ENDED[kind] else choices


def create_item(store: Store, principal: Principal, kind: str, data: dict, home_region: str) -> dict:
    """A new item; an id that exists already is a 409 naming the item and its owner, nothing written."""
    enterprise_id = data.get("enterprise_id") or principal.enterprise_id
    require_item_write(principal, kind, None, enterprise_id)
    item_id = data.get("id") or f"{ID_PREFIX[kind]}-{uuid.uuid4().hex[:12]}"
    repo = _repo(store)
    existing = repo.get(kind, item_id)
    if existing is not None:  # said first; the write checks again, in its transaction
        raise _taken(kind, item_id, existing["enterprise_id"])
    if not enterprise_id:
        raise Invalid(N_("say whose item this is"),
                      {"enterprise_id": [N_("required for accounts without an enterprise")]})
    if "name" not in data:
        raise Invalid(N_("the item needs a name"), {"name": [N_("required")]})
    record = {**_blank_record(kind), **_record_values(data), "id": item_id, "enterprise_id": enterprise_id}
    graph = _to_graph(repo, kind, record, home_region, sorted(data))
    owner = repo.create(kind, graph, _now(), _actor(principal))
    if owner is not None:
        raise _taken(kind, item_id, owner)
    repo.propose_categories(kind, [graph])
    created = _warmed(get_item(repo, principal, kind, item_id))
    publish_alerts(kind, created)  # after the commit; never raises
    return created


def update_item(store: Store, principal: Principal, kind: str, item_id: str, changes: dict,
                home_region: str, expected_version: int | None = None) -> dict:
    """Change some fields of an item as of `expected_version` (the version the editor read).

    A stale version is a 409 and nothing changes. Without one, the change is made against
    the version read here, so a concurrent edit is still never overwritten unseen.
    """
    repo = _repo(store)
    existing = get_item(repo, principal, kind, item_id)
    require_item_write(principal, kind, existing["enterprise_id"],
                       changes.get("enterprise_id", existing["enterprise_id"]))
    if changes.get("id", item_id) != item_id:
        raise Invalid(N_("an item's id cannot change"), {"id": [N_("remove it or send the same id")]})
    version = existing.get("version") if expected_version is None else expected_version
    if version != existing.get("version"):
        raise _stale()
    before = to_record(kind, existing)
    record = {**before, **_record_values(changes)}
    if "chain" not in changes and record.get("category") != existing.get("category_id"):
        record["chain"] = None  # the stored chain came from the old category: the new one brings its own
    # the revision keeps each changed field's old and new value, for the item page's history
    graph = _to_graph(repo, kind, record, home_region,
                      {k: [before.get(k), record.get(k)] for k in sorted(changes) if before.get(k) != record.get(k)})
    written, stored = repo.update(kind, graph, version, _now(), _actor(principal), "update")
    if not written:
        if stored is None:
            raise NotFound(_NO_ITEM[kind] % {"id": item_id})
        raise _stale()
    repo.propose_categories(kind, [graph])
    updated = _warmed(get_item(repo, principal, kind, item_id))
    publish_alerts(kind, updated, existing["status"])  # after the commit; never raises
    return updated


def end_item(store: Store, principal: Principal, kind: str, item_id: str, home_region: str,
             expected_version: int | None = None) -> dict:
    """Withdraw a supply item or close a demand item; it stays in the history."""
    return update_item(store, principal, kind, item_id, {"status": ENDED[kind]}, home_region, expected_version)


def item_history(store: Store, principal: Principal, kind: str, item_id: str) -> list[dict]:
    """Revisions name accounts, so only the owner, officials and admins see them."""
    item = get_item(store, principal, kind, item_id)
    require_login(principal)
    if not may_write_item(principal, kind, item["enterprise_id"], item["enterprise_id"]):
        raise Forbidden(N_("only the owner and officials see an item's history"))
    return _repo(store).history(kind, item_id)


def _to_graph(repo: ItemRepository, kind: str, record: dict, home_region: str, changed: list[str] | dict) -> dict:
    """The record checked against the reference data and its owner, as graph/items.py writes it; `changed`
    (the revision's changes) is the fields set (a create) or {field: [old, new]} (an update)."""
    owners = repo.enterprise_roles([record["enterprise_id"]])
    graph, errors, _warnings = item_to_graph(kind, 0, record, repo.reference(home_region), owners)
    if errors:
        raise Invalid(N_("the item cannot be saved"), {e.column: [e.reason] for e in errors})
    graph["changes"] = json.dumps(changed)
    return graph


def _warmed(item: dict) -> dict:
    """The saved item, its text's vector stored now (matching.warm) so no reader encodes it; never raises."""
    warm_item(item)
    return item


def _taken(kind: str, item_id: str, owner: str) -> Conflict:
    return Conflict(_TAKEN[kind] % {"id": item_id, "owner": owner},
                    {"id": [N_("already used by another item: choose another id")]})


_NO_ITEM = {"supply": N_("no supply item with id '%(id)s'"), "demand": N_("no demand item with id '%(id)s'")}
_TAKEN = {"supply": N_("a supply item with id '%(id)s' exists already: it belongs to enterprise '%(owner)s'"),
          "demand": N_("a demand item with id '%(id)s' exists already: it belongs to enterprise '%(owner)s'")}


def _stale() -> StaleVersion:
    return StaleVersion(N_("this item was changed after you opened it: reload it and make your change again"))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def _actor(principal: Principal) -> str:
    return principal.email or principal.id or "unknown"


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
