"""User accounts and their API tokens."""
from __future__ import annotations

from neo4j import ManagedTransaction

from .db import GraphDB, one, rows

_USER = ("u {.id, .email, .role, .active, .enterprise_id, .claimed_enterprise_id, .claimed_region, .name, .created_at, "
         ".password_hash, .alerts_enabled, .rejected_at, .rejected_reason, .rejected_note}")

USER_PROJECTION = _USER  # graph.sessions returns a session's user in the same shape

_CREATE = f"""
CREATE (u:User {{id: $id, email: $email, password_hash: $password_hash, role: $role,
                 active: $active, enterprise_id: $enterprise_id, claimed_enterprise_id: $claimed_enterprise_id,
                 claimed_region: $claimed_region, name: $name, created_at: $now}})
WITH u
OPTIONAL MATCH (e:Enterprise {{id: $enterprise_id}})
FOREACH (_ IN CASE WHEN e IS NULL THEN [] ELSE [1] END | MERGE (u)-[:REPRESENTS]->(e))
RETURN {_USER} AS user
"""


def create(db: GraphDB, user: dict, now: str) -> dict:
    """Insert a user; DuplicateKey when the email or id exists."""
    return db.write(_create, {"claimed_enterprise_id": None, "claimed_region": None, **user}, now)


def _create(tx: ManagedTransaction, user: dict, now: str) -> dict:
    return one(tx, _CREATE, now=now, **user)["user"]


def get_by_email(db: GraphDB, email: str) -> dict | None:
    record = db.read(one, f"MATCH (u:User {{email: $email}}) RETURN {_USER} AS user", email=email)
    return record["user"] if record else None


def get(db: GraphDB, user_id: str) -> dict | None:
    record = db.read(one, f"MATCH (u:User {{id: $id}}) RETURN {_USER} AS user", id=user_id)
    return record["user"] if record else None


def list_users(db: GraphDB) -> list[dict]:
    return [r["user"] for r in db.read(rows, f"MATCH (u:User) RETURN {_USER} AS user ORDER BY u.email")]


# Waiting: never approved, declined or deactivated.
_PENDING = (f"MATCH (u:User) WHERE u.active = false AND u.approved_at IS NULL AND u.rejected_at IS NULL "
            f"AND u.deactivated_at IS NULL "
            f"RETURN {_USER} AS user ORDER BY u.created_at")


def pending(db: GraphDB) -> list[dict]:
    """Accounts waiting for approval, oldest first."""
    return [r["user"] for r in db.read(rows, _PENDING)]


_ACTIVATE = f"""
MATCH (u:User {{id: $id}})
SET u.active = true, u.enterprise_id = $enterprise_id, u.approved_by = $actor, u.approved_at = $now
WITH u
OPTIONAL MATCH (u)-[old:REPRESENTS]->()
DELETE old
WITH DISTINCT u
OPTIONAL MATCH (e:Enterprise {{id: $enterprise_id}})
FOREACH (_ IN CASE WHEN e IS NULL THEN [] ELSE [1] END | MERGE (u)-[:REPRESENTS]->(e))
RETURN {_USER} AS user
"""


def activate(db: GraphDB, user_id: str, enterprise_id: str | None, actor: str, now: str) -> dict | None:
    """Approve an account and link it to its enterprise."""
    record = db.write(lambda tx: one(tx, _ACTIVATE, id=user_id, enterprise_id=enterprise_id,
                                     actor=actor, now=now))
    return record["user"] if record else None


_REJECT = f"""
MATCH (u:User {{id: $id}}) WHERE u.active = false AND u.approved_at IS NULL AND u.rejected_at IS NULL
  AND u.deactivated_at IS NULL
SET u.rejected_at = $now, u.rejected_by = $actor, u.rejected_reason = $reason, u.rejected_note = $note
RETURN {_USER} AS user
"""


def reject(db: GraphDB, user_id: str, reason: str, note: str, actor: str, now: str) -> dict | None:
    """Decline a pending sign-up; None when no such account waits (approved, declined or unknown)."""
    record = db.write(lambda tx: one(tx, _REJECT, id=user_id, reason=reason, note=note, actor=actor, now=now))
    return record["user"] if record else None


_SET_ALERTS = f"MATCH (u:User {{id: $id}}) SET u.alerts_enabled = $enabled RETURN {_USER} AS user"


_DEACTIVATE = (f"MATCH (u:User {{id: $id}}) SET u.active = false, u.deactivated_at = coalesce(u.deactivated_at, $now) "
               f"RETURN {_USER} AS user")
_SET_PASSWORD = f"MATCH (u:User {{id: $id}}) SET u.password_hash = $password_hash RETURN {_USER} AS user"


def deactivate(db: GraphDB, user_id: str, now: str | None = None) -> dict | None:
    record = db.write(lambda tx: one(tx, _DEACTIVATE, id=user_id, now=now or ""))
    return record["user"] if record else None


def set_password_hash(db: GraphDB, user_id: str, password_hash: str) -> dict | None:
    record = db.write(lambda tx: one(tx, _SET_PASSWORD, id=user_id, password_hash=password_hash))
    return record["user"] if record else None


def set_alerts(db: GraphDB, user_id: str, enabled: bool) -> dict | None:
    """Turn an account's demand alerts on or off (unset means on)."""
    record = db.write(lambda tx: one(tx, _SET_ALERTS, id=user_id, enabled=enabled))
    return record["user"] if record else None


# -- API tokens: only a SHA-256 of the token is stored ------------------------

_TOKEN_CREATE = """
MATCH (u:User {id: $user_id})
CREATE (t:ApiToken {id: $id, token_hash: $token_hash, name: $name, created_at: $now, revoked: false})
CREATE (t)-[:OF]->(u)
RETURN t {.id, .name, .created_at, .revoked} AS token
"""
_TOKEN_USER = f"""
MATCH (t:ApiToken {{token_hash: $token_hash}})-[:OF]->(u:User)
WHERE t.revoked = false AND u.active = true
RETURN {_USER} AS user
"""
_TOKEN_LIST = """
MATCH (t:ApiToken)-[:OF]->(:User {id: $user_id})
RETURN t {.id, .name, .created_at, .revoked} AS token ORDER BY t.created_at DESC
"""
_TOKEN_REVOKE = """
MATCH (t:ApiToken {id: $id})-[:OF]->(:User {id: $user_id})
SET t.revoked = true
RETURN t.id AS id
"""


def create_token(db: GraphDB, user_id: str, token_id: str, token_hash: str, name: str, now: str) -> dict:
    return db.write(lambda tx: one(tx, _TOKEN_CREATE, user_id=user_id, id=token_id,
                                   token_hash=token_hash, name=name, now=now)["token"])


def user_for_token(db: GraphDB, token_hash: str) -> dict | None:
    record = db.read(one, _TOKEN_USER, token_hash=token_hash)
    return record["user"] if record else None


def list_tokens(db: GraphDB, user_id: str) -> list[dict]:
    return [r["token"] for r in db.read(rows, _TOKEN_LIST, user_id=user_id)]


def revoke_token(db: GraphDB, user_id: str, token_id: str) -> bool:
    return db.write(lambda tx: one(tx, _TOKEN_REVOKE, id=token_id, user_id=user_id)) is not None


# -- login throttling, kept in the graph so every worker sees it ----------------

_FAIL = """
MERGE (t:LoginThrottle {key: $key})
ON CREATE SET t.failures = 0, t.window_start = $now
WITH t, CASE WHEN t.window_start < $window_start THEN 0 ELSE t.failures END AS recent
SET t.failures = recent + 1,
    t.window_start = CASE WHEN recent = 0 THEN $now ELSE t.window_start END
RETURN t.failures AS failures
"""
_RECENT = """
MATCH (t:LoginThrottle {key: $key}) WHERE t.window_start >= $window_start
RETURN t.failures AS failures
"""


def record_failure(db: GraphDB, key: str, now: float, window_start: float) -> int:
    """Count a failed login for `key`; returns the failures within the window."""
    return db.write(lambda tx: one(tx, _FAIL, key=key, now=now, window_start=window_start)["failures"])


def recent_failures(db: GraphDB, key: str, window_start: float) -> int:
    record = db.read(one, _RECENT, key=key, window_start=window_start)
    return record["failures"] if record else 0


def clear_failures(db: GraphDB, key: str) -> None:
    clear_failures_of(db, [key])


# Several counters at once (matchmaker/services/signin_throttle.py): each check is {key, since}.
_FAIL_MANY = """
UNWIND $checks AS c
MERGE (t:LoginThrottle {key: c.key})
ON CREATE SET t.failures = 0, t.window_start = $now
WITH t, CASE WHEN t.window_start < c.since THEN 0 ELSE t.failures END AS recent
SET t.failures = recent + 1,
    t.window_start = CASE WHEN recent = 0 THEN $now ELSE t.window_start END
"""
_RECENT_MANY = """
UNWIND $checks AS c
MATCH (t:LoginThrottle {key: c.key}) WHERE t.window_start >= c.since
RETURN t.key AS key, t.failures AS failures, t.window_start AS window_start
"""


def record_failures(db: GraphDB, checks: list[dict], now: float) -> None:
    """Count one failed sign-in on each counter; a counter whose window began before `since` restarts."""
    db.write(lambda tx: tx.run(_FAIL_MANY, checks=checks, now=now).consume())


def failure_windows(db: GraphDB, checks: list[dict]) -> dict[str, dict]:
    """key -> {failures, window_start} of the counters whose window began at or after `since`."""
    return {r["key"]: r for r in db.read(rows, _RECENT_MANY, checks=checks)}


def clear_failures_of(db: GraphDB, keys: list[str]) -> None:
    db.write(lambda tx: tx.run("UNWIND $keys AS key MATCH (t:LoginThrottle {key: key}) DELETE t",
                               keys=keys).consume())


# Docking: the chains an official is in charge of (told of invitations and contracts there; none: all).
_SET_CHAINS = "MATCH (u:User {id: $id}) SET u.chains = $chains RETURN u.id AS id, u.chains AS chains"


def set_chains(db: GraphDB, user_id: str, chains: list[str]) -> dict | None:
    """Set an account's `chains` (an empty list: every chain); None when there is no such account."""
    return db.write(lambda tx: one(tx, _SET_CHAINS, id=user_id, chains=list(chains)))
