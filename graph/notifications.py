"""In-app notifications: (:Notification {id, user_id, kind, title_key, params, link, created_at, read_at}).

A notification belongs to one account (`user_id`); every read and write here is scoped by it,
so no call can show or mark another account's notifications. Messages are stored as a message
key and JSON params and rendered in the reader's language (matchmaker.notifications).
"""
from __future__ import annotations

from typing import LiteralString

from .db import GraphDB, one, rows

_FIELDS: LiteralString = "n {.id, .user_id, .kind, .title_key, .params, .link, .created_at, .read_at}"

# MERGE on the id: a notification whose id is derived from what it is about (an alert per demand
# and account) is created once, however often its event repeats or its transaction is retried.
_CREATE: LiteralString = """
UNWIND $notes AS note
MERGE (n:Notification {id: note.id})
ON CREATE SET n.user_id = note.user_id, n.kind = note.kind, n.title_key = note.title_key,
              n.params = note.params, n.link = note.link, n.created_at = note.created_at, n.read_at = null
RETURN count(n) AS n
"""
_PAGE: LiteralString = f"""
MATCH (n:Notification {{user_id: $user_id}})
WHERE $unread_only = false OR n.read_at IS NULL
RETURN {_FIELDS} AS note ORDER BY n.created_at DESC, n.id DESC SKIP $skip LIMIT $limit
"""
_COUNT: LiteralString = """
MATCH (n:Notification {user_id: $user_id})
RETURN count(n) AS total, count(CASE WHEN n.read_at IS NULL THEN 1 END) AS unread
"""
_UNREAD: LiteralString = """
MATCH (n:Notification {user_id: $user_id}) WHERE n.read_at IS NULL RETURN count(n) AS unread
"""
_MARK: LiteralString = """
MATCH (n:Notification {user_id: $user_id}) WHERE n.id IN $ids
SET n.read_at = coalesce(n.read_at, $now)
RETURN n.id AS id
"""
_MARK_ALL: LiteralString = """
MATCH (n:Notification {user_id: $user_id}) WHERE n.read_at IS NULL
SET n.read_at = $now
RETURN count(n) AS marked
"""
_RECIPIENTS: LiteralString = """
UNWIND $enterprise_ids AS enterprise_id
MATCH (u:User {enterprise_id: enterprise_id})
WHERE u.active = true AND coalesce(u.alerts_enabled, true) = true
RETURN u.id AS user_id, u.enterprise_id AS enterprise_id ORDER BY u.id
"""


def create_many(db: GraphDB, notes: list[dict]) -> int:
    """Store notifications in one transaction; an id already stored is left as it is."""
    if not notes:
        return 0
    return db.write(lambda tx: one(tx, _CREATE, notes=notes)["n"])


def page_of(db: GraphDB, user_id: str, skip: int, limit: int, unread_only: bool = False) -> list[dict]:
    """One account's notifications, newest first."""
    found = db.read(rows, _PAGE, user_id=user_id, skip=skip, limit=limit, unread_only=unread_only)
    return [r["note"] for r in found]


def counts(db: GraphDB, user_id: str) -> dict:
    """{"total", "unread"} of one account's notifications."""
    return db.read(one, _COUNT, user_id=user_id)


def unread_count(db: GraphDB, user_id: str) -> int:
    return db.read(one, _UNREAD, user_id=user_id)["unread"]


def mark_read(db: GraphDB, user_id: str, ids: list[str], now: str) -> list[str]:
    """Mark these of the account's notifications read; returns the ids that are the account's."""
    return [r["id"] for r in db.write(rows, _MARK, user_id=user_id, ids=list(ids), now=now)]


def mark_all_read(db: GraphDB, user_id: str, now: str) -> int:
    """Mark every unread notification of the account read; returns how many."""
    return db.write(lambda tx: one(tx, _MARK_ALL, user_id=user_id, now=now)["marked"])


def recipients(db: GraphDB, enterprise_ids: list[str]) -> list[dict]:
    """[{user_id, enterprise_id}] of the active accounts of these firms that keep alerts on."""
    if not enterprise_ids:
        return []
    return db.read(rows, _RECIPIENTS, enterprise_ids=list(enterprise_ids))
