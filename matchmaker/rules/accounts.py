"""The rules of an account sign-up (or an account an admin creates)."""
from __future__ import annotations

import re

from ..errors import N_
from . import checks
from .checks import Errors
from .text import storable_problem
from .vocab import ACCOUNT_ROLES

MIN_PASSWORD = 10
EMAIL = N_("not an email address, e.g. name@example.cn")
PASSWORD = N_("use 10 to 200 characters")
ROLE = N_("use one of admin, official, leader, sme")
EMAIL_SHAPE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")  # accounts and firms' contact addresses alike

RULES = {"name": checks.line(200, name=True), "enterprise_id": checks.line(64),
         "role": checks.choice(ROLE, ACCOUNT_ROLES)}


def check_account(record: dict) -> Errors:
    """Field -> messages for {email, password, role, name, enterprise_id}; the email is compared lower-cased."""
    errors = checks.run(record, RULES, ("role",))
    email, password = str(record.get("email") or ""), str(record.get("password") or "")
    if storable_problem(email) or len(email) > 254 or not EMAIL_SHAPE.fullmatch(email):
        errors["email"] = [storable_problem(email) or EMAIL]
    if password_problem(password):
        errors["password"] = [password_problem(password)]
    return errors


def password_problem(password: str) -> str | None:
    """Why this password cannot be used, or None."""
    if storable_problem(password) or not MIN_PASSWORD <= len(password) <= 200:
        return storable_problem(password) or PASSWORD
    return None
