"""Factories and snapshots for the access-control matrix (tests/integration/test_access_matrix.py).

Everything made here carries a per-module tag in its id, so the matrix can share the
session's database with whatever else is stored there without clearing it.
"""
from __future__ import annotations

import itertools
import re
import uuid
from datetime import datetime, timezone

from werkzeug.security import generate_password_hash

from graph import editions as edition_repo
from graph import enterprises as enterprise_repo
from graph import feedback as feedback_repo
from graph import items as item_repo
from graph import notifications as notification_repo
from graph import users as user_repo
from matchmaker.services import accounts
from matchmaker.services import items as item_service
from matchmaker.services.enterprises import create_enterprise
from matchmaker.services.imports import import_file
from matchmaker.services.staged_uploads import StagedStore
from matchmaker.timestamps import stamp
from tests.helpers import HOME, SYSTEM

FAST_PASSWORD = "matrix-password-1"
# One cheap hash for every matrix account: scrypt costs ~0.25 s per account and per sign-in.
_FAST_HASH = generate_password_hash(FAST_PASSWORD, method="pbkdf2:sha256:1000")
CATEGORY = {"supply": "nev.lightweight-castings", "demand": "nev.electrical-parts"}
ROLE_OF_KIND = {"supply": "sme", "demand": "leader"}  # the firm role that owns each list


class Ids:
    """Unique, tagged, fixed-width ids ('E-MX1a2b3c-00007'): no id is a prefix of another."""

    def __init__(self) -> None:
        self.tag = f"MX{uuid.uuid4().hex[:6]}"
        self._n = itertools.count(1)

    def __call__(self, prefix: str) -> str:
        return f"{prefix}-{self.tag}-{next(self._n):05d}"


def make_enterprise(db, ids: Ids, role: str, **extra) -> dict:
    figures = {"annual_procurement": 7654321.0, "local_procurement": 1234567.0} if role == "leader" else {}
    data = {"id": ids("E"), "name": f"矩阵企业{ids('')}", "role": role, "region": "510116",
            "chains": ["nev"], **figures, **extra}
    return create_enterprise(db, SYSTEM, data, HOME)


def make_item(db, ids: Ids, kind: str, enterprise_id: str, status: str = "published") -> str:
    """An item created through the service by an admin; returns its id."""
    item_id = ids("S" if kind == "supply" else "D")
    data = {"id": item_id, "enterprise_id": enterprise_id, "name": f"矩阵产品 {item_id}",
            "category": CATEGORY[kind], "status": status}
    item_service.create_item(db, SYSTEM, kind, data, HOME)
    return item_id


def make_items(db, ids: Ids, kind: str, wanted: list[tuple[str, str]]) -> list[str]:
    """Many items in one import through the service (one write): [(enterprise_id, status)] -> ids."""
    item_ids = [ids("S" if kind == "supply" else "D") for _ in wanted]
    lines = ["id,enterprise_id,name,category,status"]
    lines += [f"{i},{e},矩阵产品 {i},{CATEGORY[kind]},{s}" for i, (e, s) in zip(item_ids, wanted)]
    report = import_file(db, kind, ("\n".join(lines) + "\n").encode(), f"{kind}.csv", home_region=HOME)
    assert report.applied and report.written == len(wanted), report.as_dict()
    return item_ids


def fast_user(db, role: str, enterprise_id: str | None = None, active: bool = True) -> dict:
    """An account stored through the graph layer with a cheap password hash (same shape as gen_user)."""
    user = {"id": f"u-{uuid.uuid4().hex[:12]}", "email": f"mx-{uuid.uuid4().hex[:10]}@example.cn",
            "role": role, "active": active, "password_hash": _FAST_HASH,
            "enterprise_id": enterprise_id, "name": "矩阵用户"}
    created = user_repo.create(db, user, datetime.now(timezone.utc).isoformat(timespec="seconds"))
    return {**accounts.public(created), "password": FAST_PASSWORD}


def new_token(db, user: dict) -> tuple[str, str]:
    """(token, token id) of a new API token of this user."""
    token, record = accounts.issue_token(db, user, "matrix")
    return token, record["id"]


def token_works(db, token: str) -> bool:
    return accounts.user_for_token(db, token) is not None


# -- snapshots: what a refused request must leave exactly as it was -----------------

def item_snapshot(db, kind: str, item_id: str) -> dict | None:
    return item_repo.get(db, kind, item_id)


def enterprise_snapshot(db, enterprise_id: str) -> dict | None:
    return enterprise_repo.get(db, enterprise_id)


def user_snapshot(db, user_id: str) -> dict | None:
    return user_repo.get(db, user_id)


def edition_snapshot(db, edition_id: str) -> dict | None:
    return edition_repo.get(db, edition_id)


def make_notification(db, ids: Ids, user_id: str) -> str:
    """An unread notification of this account, stored through the graph layer; returns its id."""
    note_id = ids("N")
    notification_repo.create_many(db, [{"id": note_id, "user_id": user_id, "kind": "demand_alert",
                                        "title_key": "New demand from %(leader)s: %(demand)s fits your %(supply)s",
                                        "params": "{}", "link": "/demand", "created_at": stamp(precise=True)}])
    return note_id


def notification_snapshot(db, user_id: str, note_id: str) -> dict | None:
    return next((n for n in notification_repo.page_of(db, user_id, 0, 1000) if n["id"] == note_id), None)


def item_csv(kind: str, rows: list[tuple[str, str]]) -> bytes:
    """A DATA-FORMAT file of (id, enterprise_id) rows."""
    amount = "capacity" if kind == "supply" else "quantity"
    lines = [f"id,enterprise_id,name,category,{amount}"]
    lines += [f"{item_id},{owner},导入产品 {item_id},{CATEGORY[kind]},10" for item_id, owner in rows]
    return ("\n".join(lines) + "\n").encode()


def enterprise_csv(enterprise_id: str) -> bytes:
    return f"id,name,role,region\n{enterprise_id},导入企业 {enterprise_id},sme,510116\n".encode()


def stage_upload(app, user_id: str, kind: str, content: bytes) -> str:
    """The token of a file staged for this account, as the import page's preview stages it."""
    return StagedStore(app.config["STAGED_UPLOADS_DIR"]).put(user_id, kind, f"{kind}.csv", content).token


def staged_upload_exists(app, token: str, user_id: str) -> bool:
    return any(s.token == token for s in StagedStore(app.config["STAGED_UPLOADS_DIR"]).of_owner(user_id))


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(client, path: str = "/login") -> str:
    return CSRF.search(client.get(path).get_data(as_text=True)).group(1)


def verdicts_on(db, demand_id: str) -> list[dict]:
    """Every verdict stored on a demand item (what a refused verdict must leave as it was)."""
    return sorted(feedback_repo.of_demand(db, demand_id), key=lambda v: v["id"])
