"""Sign-in sessions kept on the server: the browser's cookie carries only a random id.

Signing out deletes the record, so an old cookie is dead at once. A session also ends after
`idle` seconds without a request, `max_age` seconds after sign-in, when its account is no
longer active, or when the account's password changed since sign-in (the record keeps a
mark of the password hash it was opened with). Knows nothing of Flask (matchmaker/security.py
wires it to flask-login).
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from graph import sessions as session_repo
from graph import users as user_repo
from graph.db import GraphDB

TOUCH_EVERY_SECONDS = 60  # "last seen" is written at most this often, not on every request


@dataclass(frozen=True)
class Lifetimes:
    idle: float
    max_age: float


def start(db: GraphDB, user: dict, now: float, lifetimes: Lifetimes) -> str:
    """A new session for this user (a fresh id at every sign-in); returns the id for the cookie."""
    session_repo.delete_expired(db, user["id"], now - lifetimes.idle, now - lifetimes.max_age)
    session_id = secrets.token_urlsafe(32)
    stored = user_repo.get(db, user["id"]) or {}  # the caller's copy has no password hash
    session_repo.create(db, _hash(session_id), user["id"], password_mark(stored), now)
    return session_id


def resume(db: GraphDB, session_id: str, now: float, lifetimes: Lifetimes) -> dict | None:
    """The user of a live session, or None (and the record deleted when it has ended)."""
    found = session_repo.get(db, _hash(session_id)) if session_id else None
    if found is None:
        return None
    record, user = found
    if _ended(record, user, now, lifetimes):
        session_repo.delete(db, record["id"])
        return None
    if now - record["last_seen"] >= TOUCH_EVERY_SECONDS:
        session_repo.touch(db, record["id"], now)
    return user


def end(db: GraphDB, session_id: str) -> None:
    if session_id:
        session_repo.delete(db, _hash(session_id))


def end_all(db: GraphDB, user_id: str) -> None:
    """Sign this account out everywhere (call on deactivation or a password change)."""
    session_repo.delete_for_user(db, user_id)


def password_mark(user: dict) -> str:
    """A short digest of the stored password hash: changes whenever the password does."""
    return hashlib.sha256((user.get("password_hash") or "").encode()).hexdigest()[:16]


def _ended(record: dict, user: dict, now: float, lifetimes: Lifetimes) -> bool:
    return (now - record["last_seen"] > lifetimes.idle or now - record["created_at"] > lifetimes.max_age
            or not user.get("active") or record.get("password_mark") != password_mark(user))


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()
