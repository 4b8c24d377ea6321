"""Engagements (对接) and their events: (:Engagement)-[:FOR]->(:DemandItem), -[:WITH]->(:Enterprise),
(:EngagementEvent)-[:OF]->(:Engagement).

Every write takes the change number first (graph.changes), so writers serialise: "one active
engagement per (demand item, supplier)" is checked inside the creating transaction, and a move
is a compare-and-set on the engagement's version, as item edits are.
"""
from __future__ import annotations

from typing import LiteralString

from neo4j import ManagedTransaction

from .changes import next_seq
from .db import GraphDB, one, rows

FIELDS = ("id", "demand_id", "supplier_id", "supply_item_id", "leader_id", "chain_id", "category_id",
          "segment_id", "status", "opened_at", "updated_at", "version", "seq", "quantity", "value",
          "start_date", "reason", "round_id", "proxy")
EVENT_FIELDS = ("id", "engagement_id", "n", "at", "by", "by_role", "proxy", "from_status", "to_status",
                "note", "reason", "quantity", "value", "start_date")
# What a move or a correction may set on the engagement.
CHANGEABLE = ("status", "quantity", "value", "start_date", "reason", "proxy")

_ENGAGEMENT_MAP: LiteralString = "id: e.id, demand_id: e.demand_id, supplier_id: e.supplier_id, " \
    "supply_item_id: e.supply_item_id, leader_id: e.leader_id, chain_id: e.chain_id, " \
    "category_id: e.category_id, segment_id: e.segment_id, status: e.status, opened_at: e.opened_at, " \
    "updated_at: e.updated_at, version: 1, seq: $seq, quantity: e.quantity, value: e.value, " \
    "start_date: e.start_date, reason: e.reason, round_id: e.round_id, proxy: e.proxy"
_EVENT_MAP: LiteralString = "id: ev.id, engagement_id: ev.engagement_id, n: ev.n, at: ev.at, by: ev.by, " \
    "by_role: ev.by_role, proxy: ev.proxy, from_status: ev.from_status, to_status: ev.to_status, " \
    "note: ev.note, reason: ev.reason, quantity: ev.quantity, value: ev.value, start_date: ev.start_date"

# Projections name every property: a null one is not stored, and `{.*}` would leave its key out.
_PROJECT_ENGAGEMENT: LiteralString = ".id, .demand_id, .supplier_id, .supply_item_id, .leader_id, .chain_id, " \
    ".category_id, .segment_id, .status, .opened_at, .updated_at, .version, .seq, .quantity, .value, " \
    ".start_date, .reason, .round_id, .proxy"
_PROJECT_EVENT: LiteralString = ".id, .engagement_id, .n, .at, .by, .by_role, .proxy, .from_status, .to_status, " \
    ".note, .reason, .quantity, .value, .start_date"

_ACTIVE_OF_PAIR: LiteralString = """
MATCH (g:Engagement {demand_id: $demand_id, supplier_id: $supplier_id})
WHERE g.status IN $active
RETURN g.id AS id ORDER BY g.opened_at LIMIT 1
"""
_CREATE: LiteralString = """
UNWIND [$engagement] AS e
MATCH (d:DemandItem {id: e.demand_id})
MATCH (s:Enterprise {id: e.supplier_id})
CREATE (g:Engagement {""" + _ENGAGEMENT_MAP + """})
CREATE (g)-[:FOR]->(d)
CREATE (g)-[:WITH]->(s)
WITH g
UNWIND [$event] AS ev
CREATE (x:EngagementEvent {""" + _EVENT_MAP + """})-[:OF]->(g)
RETURN g.id AS id
"""
_UPDATE: LiteralString = """
MATCH (g:Engagement {id: $id}) WHERE g.version = $expected
SET g.status = $c.status, g.quantity = $c.quantity, g.value = $c.value, g.start_date = $c.start_date,
    g.reason = $c.reason, g.proxy = $c.proxy, g.updated_at = $now, g.seq = $seq, g.version = g.version + 1
WITH g
UNWIND [$event] AS ev
CREATE (x:EngagementEvent {""" + _EVENT_MAP + """})-[:OF]->(g)
RETURN g.version AS version
"""
_VERSION: LiteralString = "MATCH (g:Engagement {id: $id}) RETURN g.version AS version"

# An engagement as the pages and the API show it: with the demand's, the firms' and the supply item's names.
_RETURN: LiteralString = """
OPTIONAL MATCH (d:DemandItem {id: g.demand_id})
OPTIONAL MATCH (s:Enterprise {id: g.supplier_id})
OPTIONAL MATCH (l:Enterprise {id: g.leader_id})
OPTIONAL MATCH (i:SupplyItem {id: g.supply_item_id})
RETURN g {""" + _PROJECT_ENGAGEMENT + """, demand_name: d.name, demand_status: d.status, demand_value: d.value,
          supplier_name: s.name, supplier_name_en: s.name_en, supplier_local: s.local,
          leader_name: l.name, leader_name_en: l.name_en, supply_item_name: i.name} AS engagement
"""
_GET: LiteralString = "MATCH (g:Engagement {id: $id})" + _RETURN
_HISTORY: LiteralString = """
MATCH (x:EngagementEvent {engagement_id: $id})-[:OF]->(:Engagement {id: $id})
OPTIONAL MATCH (u:User {id: x.by})
RETURN x {""" + _PROJECT_EVENT + """, by_email: u.email} AS event ORDER BY x.n
"""
_FILTER: LiteralString = """
MATCH (g:Engagement)
WHERE ($demand_id IS NULL OR g.demand_id = $demand_id)
  AND ($supplier_id IS NULL OR g.supplier_id = $supplier_id)
  AND ($chain_id IS NULL OR g.chain_id = $chain_id)
  AND ($statuses IS NULL OR g.status IN $statuses)
  AND ($leader_scope IS NULL OR g.leader_id = $leader_scope)
  AND ($supplier_scope IS NULL OR g.supplier_id = $supplier_scope)
  AND ($round_id IS NULL OR g.round_id = $round_id)
"""
_PAGE: LiteralString = _FILTER + """
WITH g ORDER BY g.updated_at DESC, g.id SKIP $skip LIMIT $limit
""" + _RETURN
_COUNT: LiteralString = _FILTER + "RETURN count(g) AS n"
_OF_DEMAND: LiteralString = """
MATCH (g:Engagement {demand_id: $demand_id}) WHERE g.status IN $statuses
RETURN g {.id, .supplier_id, .status, .version} AS engagement ORDER BY g.opened_at
"""

# What the service checks before inviting.
_DEMAND: LiteralString = """
MATCH (d:DemandItem {id: $id})
RETURN d {.id, .name, .status, .enterprise_id, .chain_id, .category_id, .segment_id, .value} AS item
"""
_ENTERPRISE: LiteralString = "MATCH (e:Enterprise {id: $id}) RETURN e {.id, .name, .name_en, .role, .local} AS firm"
_SUPPLY: LiteralString = "MATCH (i:SupplyItem {id: $id}) RETURN i {.id, .name, .enterprise_id, .status} AS item"

# Who hears of a change: the active accounts of these firms, and the officials in charge of the chain
# (an official's `chains`: the chain ids it follows; none or empty: every chain).
_ACCOUNTS: LiteralString = """
MATCH (u:User) WHERE u.active = true AND (
    u.enterprise_id IN $enterprise_ids
    OR ($officials AND u.role = 'official'
        AND (u.chains IS NULL OR size(u.chains) = 0 OR $chain_id IN u.chains)))
RETURN u.id AS user_id, u.email AS email, u.role AS role, u.enterprise_id AS enterprise_id,
       u.lang AS lang ORDER BY u.id
"""

SEARCH_KEYS = ("demand_id", "supplier_id", "chain_id", "statuses", "leader_scope", "supplier_scope", "round_id")


def create(db: GraphDB, engagement: dict, event: dict, active: tuple[str, ...]) -> str | None:
    """Store a new engagement with its first event unless the pair has an active one.

    Returns None when stored, else the id of the active engagement of the same pair (checked in the
    writing transaction, after the change counter: two concurrent invitations cannot both pass).
    `active`: the statuses that count as active (docking.stages.ACTIVE)."""
    return db.write(_create, _full(engagement, FIELDS), _full(event, EVENT_FIELDS), list(active))


def _create(tx: ManagedTransaction, engagement: dict, event: dict, active: list[str]) -> str | None:
    seq = next_seq(tx)
    found = tx.run(_ACTIVE_OF_PAIR, demand_id=engagement["demand_id"], supplier_id=engagement["supplier_id"],
                   active=active).single()
    if found:
        return found["id"]
    created = tx.run(_CREATE, engagement=engagement, event=event, seq=seq).single()
    if created is None:
        raise LookupError("the demand item or the supplier vanished during the invitation")
    return None


def update(db: GraphDB, engagement_id: str, expected_version: int, changes: dict, event: dict,
           now: str) -> tuple[bool, int | None]:
    """Write a move (or correction) and its event only if the version is still `expected_version`.

    Returns (written, the version now stored; None when there is no such engagement)."""
    return db.write(_update, engagement_id, expected_version, _full(changes, CHANGEABLE),
                    _full(event, EVENT_FIELDS), now)


def _update(tx: ManagedTransaction, engagement_id: str, expected: int, changes: dict, event: dict,
            now: str) -> tuple[bool, int | None]:
    seq = next_seq(tx)
    written = tx.run(_UPDATE, id=engagement_id, expected=expected, c=changes, event=event, now=now,
                     seq=seq).single()
    if written:
        return True, written["version"]
    current = tx.run(_VERSION, id=engagement_id).single()
    return False, current["version"] if current else None


def get(db: GraphDB, engagement_id: str) -> dict | None:
    found = db.read(one, _GET, id=engagement_id)
    return found["engagement"] if found else None


def history(db: GraphDB, engagement_id: str) -> list[dict]:
    """The engagement's events, oldest first."""
    return [r["event"] for r in db.read(rows, _HISTORY, id=engagement_id)]


def search(db: GraphDB, filters: dict, skip: int, limit: int) -> tuple[list[dict], int]:
    """(one page of engagements, newest change first; total matching). `filters` keys: SEARCH_KEYS."""
    params = {key: filters.get(key) for key in SEARCH_KEYS}
    return db.read(_search, params, skip, limit)


def _search(tx: ManagedTransaction, params: dict, skip: int, limit: int) -> tuple[list[dict], int]:
    total = tx.run(_COUNT, **params).single()["n"]
    page = [r["engagement"] for r in tx.run(_PAGE, **params, skip=skip, limit=limit).data()] if total else []
    return page, total


def of_demand(db: GraphDB, demand_id: str, statuses: list[str]) -> list[dict]:
    """[{id, supplier_id, status, version}] of a demand item's engagements in these statuses."""
    return [r["engagement"] for r in db.read(rows, _OF_DEMAND, demand_id=demand_id, statuses=list(statuses))]


def demand(db: GraphDB, demand_id: str) -> dict | None:
    found = db.read(one, _DEMAND, id=demand_id)
    return found["item"] if found else None


def enterprise(db: GraphDB, enterprise_id: str) -> dict | None:
    found = db.read(one, _ENTERPRISE, id=enterprise_id)
    return found["firm"] if found else None


def supply_item(db: GraphDB, item_id: str) -> dict | None:
    found = db.read(one, _SUPPLY, id=item_id)
    return found["item"] if found else None


def accounts(db: GraphDB, enterprise_ids: list[str], chain_id: str | None, officials: bool) -> list[dict]:
    """[{user_id, email, role, enterprise_id, lang}] of the firms' active accounts and, with `officials`,
    the active officials in charge of `chain_id`."""
    return db.read(rows, _ACCOUNTS, enterprise_ids=list(enterprise_ids), chain_id=chain_id, officials=officials)


def _full(values: dict, names: tuple[str, ...]) -> dict:
    """Every named key (missing ones as null: a parameter map must name what the query reads)."""
    return {name: values.get(name) for name in names}
