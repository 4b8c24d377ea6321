"""User accounts: roles, password hashing, creation rules."""
from __future__ import annotations

import functools
import hashlib
import secrets
import uuid

from werkzeug.security import check_password_hash, generate_password_hash

from graph import enterprises as enterprise_repo
from graph import users as user_repo
from graph.db import GraphDB
from graph.errors import DuplicateKey

from .. import sessions
from ..errors import N_, Conflict, Forbidden, Invalid, NotFound, Unauthorized
from ..rules import check_account, normalise
from ..regions import RegionNotFound, RegionTable, resolve_region
from ..rules.contacts import credit_code
from ..rules.signups import declined_message
from ..rules.accounts import password_problem
from ..rules.vocab import ACCOUNT_ROLES as ROLES  # noqa: F401  (the CLI offers these)
from ..rules.vocab import FIRM_ACCOUNT_ROLES
from ..timestamps import stamp
from . import signin_throttle as throttle

ENTERPRISE_ROLE = {role: role for role in FIRM_ACCOUNT_ROLES}  # account role -> role its enterprise must have


def create_user(db: GraphDB, *, email: str, password: str, role: str, enterprise_id: str | None = None,
                name: str = "", active: bool = False, claimed_enterprise_id: str | None = None,
                claimed_region: str | None = None) -> dict:
    """Create an account; leader and sme accounts represent an enterprise of their role.

    `claimed_enterprise_id` is what a sign-up says about itself: kept for the approving
    official to check, never a link.
    """
    email, name = normalise((email or "").strip().lower()), normalise((name or "").strip())
    _check(db, email, password, role, name, enterprise_id, claimed_enterprise_id)
    user = {"id": f"u-{uuid.uuid4().hex[:12]}", "email": email, "role": role, "active": active,
            "password_hash": generate_password_hash(password), "enterprise_id": enterprise_id,
            "name": name, "claimed_enterprise_id": claimed_enterprise_id, "claimed_region": claimed_region}
    now = stamp()
    try:
        created = user_repo.create(db, user, now)
    except DuplicateKey:
        raise Conflict(N_("an account for %(email)s exists already") % {"email": email},
                       {"email": [N_("already registered")]}) from None
    return public(created)


def _check(db: GraphDB, email: str, password: str, role: str, name: str, enterprise_id: str | None,
           claim: str | None = None) -> None:
    fields = check_account({"email": email, "password": password, "role": role, "name": name,
                            "enterprise_id": enterprise_id or claim})
    if not fields and role in ENTERPRISE_ROLE:
        fields.update(_enterprise_problem(db, role, enterprise_id))
    if fields:
        raise Invalid(N_("the account cannot be created"), fields)


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
    """Spends one password-hash check whether or not the account exists (no timing difference)."""
    stored = user["password_hash"] if user else _dummy_hash()
    return check_password_hash(stored, password or "") and bool(user)


@functools.cache
def _dummy_hash() -> str:
    """A hash of a random password, made like real ones, for e-mail addresses with no account."""
    return generate_password_hash(secrets.token_hex(16))


def public(user: dict) -> dict:
    """A user without secrets."""
    return {k: v for k, v in user.items() if k != "password_hash"}


# -- sign-in, sign-up, approval, tokens ----------------------------------------

def authenticate(db: GraphDB, email: str, password: str, now: float, client: throttle.Client) -> dict:
    """The active user with these credentials; throttled (services/signin_throttle.py).

    An unknown e-mail address costs the same hash check and gets the same answer as a wrong password.
    """
    email = (email or "").strip().lower()
    throttle.check(db, email, client, now)
    user = user_repo.get_by_email(db, email)
    if not verify_password(user, password):
        throttle.failed(db, email, client, now)
        raise Unauthorized(N_("wrong email or password"))
    throttle.succeeded(db, email, client)
    if not user["active"]:
        if user.get("rejected_at"):
            raise Forbidden(declined_message(user.get("rejected_reason")))
        raise Forbidden(N_("this account waits for approval by an official"))
    return public(user)


def sign_up(db: GraphDB, *, email: str, password: str, role: str, name: str,
            enterprise_id: str | None = None, region: str | None = None) -> dict:
    """A firm's own sign-up: inactive until an official approves and links it.

    The credit code (or id) and region it gives are only a claim: the approval page shows them as
    unverified, and the official links a firm of the directory or creates the one described
    (services.signups), so a sign-up naming another firm links nobody to it.
    """
    if role not in ENTERPRISE_ROLE:
        raise Invalid(N_("firms sign up as a leader or an SME"), {"role": [N_("use leader or sme")]})
    claim = normalise(enterprise_id) or None
    region_code, problems = _claim_region(region), _claim_problems(claim)
    if region and region_code is None:
        problems["region"] = [N_("no region of that name: write e.g. Shuangliu District, Chengdu, "
                                 "or its 6-digit code 510116")]
    if problems:
        raise Invalid(N_("the account cannot be created"), problems)
    try:
        return create_user(db, email=email, password=password, role=role, name=name,
                           claimed_enterprise_id=claim, claimed_region=region_code, active=False)
    except Conflict:
        # The address has an account: answer as for a new one (no account enumeration) and create nothing.
        return _lookalike(email=email, role=role, name=name, claimed_enterprise_id=claim,
                          claimed_region=region_code)


def _claim_problems(claim: str | None) -> dict:
    """An 18-character claim is meant as a credit code: a wrong check character is a typo to fix now."""
    if claim and len(claim) == 18 and credit_code(claim) is None:
        return {"enterprise_id": [N_("not a valid Unified Social Credit Code: check each character "
                                     "(the last one is a check character)")]}
    return {}


def _claim_region(text: str | None) -> str | None:
    try:
        return resolve_region(RegionTable.load(), text).code if text and text.strip() else None
    except RegionNotFound:
        return None


def _lookalike(**fields) -> dict:
    """What create_user returns for a new pending sign-up, without storing anything."""
    email, name = normalise(fields.pop("email").strip().lower()), normalise(fields.pop("name").strip())
    return {"id": f"u-{uuid.uuid4().hex[:12]}", "email": email, "name": name, "active": False,
            "enterprise_id": None, "created_at": stamp(), "alerts_enabled": None, "rejected_at": None,
            "rejected_reason": None, "rejected_note": None, **fields}


def approve(db: GraphDB, approver: str, user_id: str, enterprise_id: str | None) -> dict:
    """Activate a pending account, linking leader/sme accounts to the enterprise the official names
    (or the one an admin gave the account). A sign-up's claimed enterprise is never used by default."""
    user = user_repo.get(db, user_id)
    if user is None:
        raise NotFound(N_("no account with id '%(id)s'") % {"id": user_id})
    enterprise_id = enterprise_id or user.get("enterprise_id")  # set only by an admin, never by a sign-up
    if user["role"] in ENTERPRISE_ROLE:
        if not enterprise_id:
            raise Invalid(N_("link the account to its enterprise"), {"enterprise_id": [N_("required for this role")]})
        problem = _enterprise_problem(db, user["role"], enterprise_id)
        if problem:
            raise Invalid(N_("the enterprise does not fit this account"), problem)
    now = stamp()
    return public(user_repo.activate(db, user_id, enterprise_id, approver, now))


def deactivate(db: GraphDB, user_id: str) -> dict:
    """Turn an account off and sign it out everywhere (its API tokens stop working too)."""
    user = user_repo.deactivate(db, user_id, stamp())
    if user is None:
        raise NotFound(N_("no account with id '%(id)s'") % {"id": user_id})
    sessions.end_all(db, user_id)
    return public(user)


def change_password(db: GraphDB, user_id: str, password: str) -> dict:
    """Set a new password and end the account's sessions (a thief's stolen cookie dies with the old one)."""
    problem = password_problem(str(password or ""))
    if problem:
        raise Invalid(N_("the password cannot be used"), {"password": [problem]})
    user = user_repo.set_password_hash(db, user_id, generate_password_hash(password))
    if user is None:
        raise NotFound(N_("no account with id '%(id)s'") % {"id": user_id})
    sessions.end_all(db, user_id)
    return public(user)


def issue_token(db: GraphDB, user: dict, name: str = "api") -> tuple[str, dict]:
    """A new API token (shown once) and its record; only its hash is kept."""
    token = secrets.token_urlsafe(32)
    now = stamp()
    record = user_repo.create_token(db, user["id"], f"t-{uuid.uuid4().hex[:12]}",
                                    hash_token(token), name[:80] or "api", now)
    return token, record


def user_for_token(db: GraphDB, token: str) -> dict | None:
    return user_repo.user_for_token(db, hash_token(token)) if token else None


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def pending(db: GraphDB) -> list[dict]:
    return [public(u) for u in user_repo.pending(db)]


def revoke(db: GraphDB, principal, token_id: str) -> None:
    """Revoke one of the principal's own tokens."""
    if not user_repo.revoke_token(db, principal.id, token_id):
        raise NotFound(N_("you have no token with id '%(id)s'") % {"id": token_id})
