"""Server-side sign-in sessions: one node per signed-in browser, linked to its user.

Only a hash of the session id is stored (the id itself lives in the browser's signed cookie),
so a copy of the database signs nobody in. Times are Unix seconds.
"""
from __future__ import annotations

from neo4j import ManagedTransaction

from .db import GraphDB, one
from .users import USER_PROJECTION

_CREATE = """
MATCH (u:User {id: $user_id})
CREATE (s:UserSession {id: $id, created_at: $now, last_seen: $now, password_mark: $password_mark})
CREATE (s)-[:OF]->(u)
RETURN s.id AS id
"""
_GET = f"""
MATCH (s:UserSession {{id: $id}})-[:OF]->(u:User)
RETURN s {{.id, .created_at, .last_seen, .password_mark}} AS session, {USER_PROJECTION} AS user
"""
_TOUCH = "MATCH (s:UserSession {id: $id}) SET s.last_seen = $now"
_DELETE = "MATCH (s:UserSession {id: $id}) DETACH DELETE s"
_DELETE_USER = "MATCH (s:UserSession)-[:OF]->(:User {id: $user_id}) DETACH DELETE s"
_DELETE_EXPIRED = """
MATCH (s:UserSession)-[:OF]->(:User {id: $user_id})
WHERE s.last_seen < $idle_before OR s.created_at < $created_before
DETACH DELETE s
"""


def create(db: GraphDB, session_hash: str, user_id: str, password_mark: str, now: float) -> bool:
    """Store a new session of this user; False when there is no such user."""
    return db.write(lambda tx: one(tx, _CREATE, id=session_hash, user_id=user_id,
                                   password_mark=password_mark, now=now)) is not None


def get(db: GraphDB, session_hash: str) -> tuple[dict, dict] | None:
    """(session, user) of a stored session, or None."""
    record = db.read(one, _GET, id=session_hash)
    return (record["session"], record["user"]) if record else None


def touch(db: GraphDB, session_hash: str, now: float) -> None:
    db.write(_run, _TOUCH, id=session_hash, now=now)


def delete(db: GraphDB, session_hash: str) -> None:
    db.write(_run, _DELETE, id=session_hash)


def delete_for_user(db: GraphDB, user_id: str) -> None:
    """End every session of this user (deactivated, password changed)."""
    db.write(_run, _DELETE_USER, user_id=user_id)


def delete_expired(db: GraphDB, user_id: str, idle_before: float, created_before: float) -> None:
    db.write(_run, _DELETE_EXPIRED, user_id=user_id, idle_before=idle_before, created_before=created_before)


def _run(tx: ManagedTransaction, query: str, **params) -> None:
    tx.run(query, **params).consume()
