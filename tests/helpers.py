"""Test factories: enterprises, accounts and items made through the services."""
from __future__ import annotations

import mmap
import uuid

import numpy as np

from matchmaker.services import accounts
from matchmaker.services.enterprises import create_enterprise
from matchmaker.services.permissions import Principal

HOME = "510100"
SYSTEM = Principal("u-system", "admin", None, "system@test.cn")


def uid(prefix: str = "T") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def gen_enterprise(db, role: str = "sme", region: str = "510116", **extra) -> dict:
    data = {"id": uid("E"), "name": f"测试企业{uid('')}", "role": role, "region": region, **extra}
    return create_enterprise(db, SYSTEM, data, HOME)


def gen_user(db, role: str = "sme", enterprise_id: str | None = None, password: str = "correct-horse-1") -> dict:
    email = f"{uid('user').lower()}@example.cn"
    user = accounts.create_user(db, email=email, password=password, role=role,
                                enterprise_id=enterprise_id, active=True)
    return {**user, "password": password}


def gen_token(db, user: dict) -> str:
    token, _ = accounts.issue_token(db, user)
    return token


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def firm_with_token(db, role: str = "sme", region: str = "510116") -> tuple[dict, dict, str]:
    """(enterprise, user, token) of a firm whose account represents it."""
    enterprise = gen_enterprise(db, role=role, region=region)
    user = gen_user(db, role=role, enterprise_id=enterprise["id"])
    return enterprise, user, gen_token(db, user)


def page_sign_in(client, user: dict) -> None:
    """Sign `user` (with its `password`) in through the /login form, as a browser would."""
    from tests.matrix_helpers import csrf_of

    response = client.post("/login", data={"email": user["email"], "password": user["password"],
                                           "csrf_token": csrf_of(client, "/login")})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def is_mapped(array) -> bool:
    """True when the array's memory is a mapped file (a memmap, or a plain view of one)."""
    while array is not None:
        if isinstance(array, (np.memmap, mmap.mmap)):
            return True
        array = getattr(array, "base", None)
    return False
