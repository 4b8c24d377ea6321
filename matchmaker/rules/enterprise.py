"""The rules of an enterprise record (DATA-FORMAT `enterprises`), whatever path it came by.

Decision: procurement figures on a firm that is not a leader are refused (not stripped) on
every path, so that no path keeps a figure another path would drop.
"""
from __future__ import annotations

from ..errors import N_
from . import checks
from .checks import Errors
from .contacts import email_problem, phone_problem, website_problem
from .vocab import ENTERPRISE_ROLES, TIERS

ROLE = N_("use leader, sme or other")
TIER = N_("use none, innovative, srsn, little_giant or champion")
NOT_A_LEADER = N_("only chain leaders have procurement figures: leave it empty for this role")
LOCAL_OVER_TOTAL = N_("the local part cannot exceed annual_procurement")

RULES = {
    "id": checks.line(64), "name": checks.line(200, name=True), "name_en": checks.line(200, name=True),
    "role": checks.choice(ROLE, ENTERPRISE_ROLES), "tier": checks.choice(TIER, TIERS),
    "region": checks.line(120, name=True), "certifications": checks.certifications,
    "annual_procurement": checks.amount, "local_procurement": checks.amount,
    "description": checks.paragraph(5000),
    "contact_person": checks.line(64, name=True), "phone": phone_problem, "email": email_problem,
    "website": website_problem,
}
CONTACTS = ("contact_person", "phone", "email", "website")  # shown to signed-in accounts only
REQUIRED = ("id", "name", "role", "region")
PROCUREMENT = ("annual_procurement", "local_procurement")


def check_enterprise(record: dict) -> Errors:
    """Field -> messages for one enterprise record; {} when it may be stored."""
    errors = checks.run(record, RULES, REQUIRED)
    errors.update(_chains(record.get("chains")))
    errors.update(_procurement(record, errors))
    return errors


def _chains(chains) -> Errors:
    if not chains:
        return {}
    if not isinstance(chains, list) or len(chains) > 50:
        return {"chains": [N_("at most 50 chains, each an id or a name")]}
    problems = [p for p in (checks.line(60, name=True)(c) for c in chains) if p]
    return {"chains": problems[:1]} if problems else {}


def _procurement(record: dict, errors: Errors) -> Errors:
    if record.get("role") != "leader":
        return {n: [NOT_A_LEADER] for n in PROCUREMENT if record.get(n) is not None and n not in errors}
    annual, local = (record.get(n) for n in PROCUREMENT)
    if annual is not None and local is not None and not set(PROCUREMENT) & set(errors) and local > annual:
        return {"local_procurement": [LOCAL_OVER_TOTAL]}
    return {}
