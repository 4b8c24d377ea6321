"""User accounts and their API tokens."""
from __future__ import annotations

from neo4j import ManagedTransaction

from .db import GraphDB, one, rows

_USER = "u {.id, .email, .role, .active, .enterprise_id, .name, .created_at, .password_hash}"

_CREATE = f"""
CREATE (u:User {{id: $id, email: $email, password_hash: $password_hash, role: $role,
                 active: $active, enterprise_id: $enterprise_id, name: $name, created_at: $now}})
WITH u
OPTIONAL MATCH (e:Enterprise {{id: $enterprise_id}})
FOREACH (_ IN CASE WHEN e IS NULL THEN [] ELSE [1] END | MERGE (u)-[:REPRESENTS]->(e))
RETURN {_USER} AS user
"""


def create(db: GraphDB, user: dict, now: str) -> dict:
    """Insert a user; DuplicateKey when the email or id exists."""
    return db.write(_create, user, now)


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
