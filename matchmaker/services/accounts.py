"""User accounts: roles, password hashing, creation rules."""
from __future__ import annotations

import re
import uuid
from datetime import datetime, timezone

from werkzeug.security import check_password_hash, generate_password_hash

from graph import enterprises as enterprise_repo
from graph import users as user_repo
from graph.db import GraphDB
from graph.errors import DuplicateKey

from ..errors import Conflict, Invalid

ROLES = ("admin", "official", "leader", "sme")
ENTERPRISE_ROLE = {"leader": "leader", "sme": "sme"}  # account role -> role its enterprise must have
MIN_PASSWORD = 10
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def create_user(db: GraphDB, *, email: str, password: str, role: str, enterprise_id: str | None = None,
                name: str = "", active: bool = False) -> dict:
    """Create an account; leader and sme accounts represent an enterprise of their role."""
    email = (email or "").strip().lower()
    _check(db, email, password, role, enterprise_id)
    user = {"id": f"u-{uuid.uuid4().hex[:12]}", "email": email, "role": role, "active": active,
            "password_hash": generate_password_hash(password), "enterprise_id": enterprise_id,
            "name": name.strip()}
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    try:
        created = user_repo.create(db, user, now)
    except DuplicateKey:
        raise Conflict(f"an account for {email} exists already", {"email": ["already registered"]}) from None
    return public(created)


def _check(db: GraphDB, email: str, password: str, role: str, enterprise_id: str | None) -> None:
    fields: dict[str, list[str]] = {}
    if not _EMAIL.match(email):
        fields["email"] = ["not an email address, e.g. name@example.cn"]
    if len(password or "") < MIN_PASSWORD:
        fields["password"] = [f"use at least {MIN_PASSWORD} characters"]
    if role not in ROLES:
        fields["role"] = [f"use one of {', '.join(ROLES)}"]
    elif role in ENTERPRISE_ROLE:
        fields.update(_enterprise_problem(db, role, enterprise_id))
    if fields:
        raise Invalid("the account cannot be created", fields)


def _enterprise_problem(db: GraphDB, role: str, enterprise_id: str | None) -> dict:
    if not enterprise_id:
        return {}  # linked later by an official
    enterprise = enterprise_repo.get(db, enterprise_id)
    if enterprise is None:
        return {"enterprise": [f"no enterprise with id '{enterprise_id}'"]}
    if enterprise["role"] != ENTERPRISE_ROLE[role]:
        return {"enterprise": [f"'{enterprise_id}' is a {enterprise['role']}, not a {ENTERPRISE_ROLE[role]}"]}
    return {}


def verify_password(user: dict | None, password: str) -> bool:
    return bool(user) and check_password_hash(user["password_hash"], password or "")


def public(user: dict) -> dict:
    """A user without secrets."""
    return {k: v for k, v in user.items() if k != "password_hash"}
