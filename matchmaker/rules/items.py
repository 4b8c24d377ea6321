"""The rules of a supply or demand item record (DATA-FORMAT `supply`, `demand`), on every path.

Decision: supply items belong to SMEs or `other` firms (a large non-leader supplier is still
a supplier); demand items belong to chain leaders. The owner's role comes from the graph, so
the caller passes it (None when the enterprise does not exist: a reference check, not a rule).
"""
from __future__ import annotations

from ..errors import N_
from . import checks
from .checks import Errors
from .vocab import OWNER_ENTERPRISE_ROLES, STATUSES

STATUS = {"supply": N_("use published, draft or withdrawn"), "demand": N_("use published, draft or closed")}
OWNER = {"supply": N_("only SMEs and other firms publish supply items: this enterprise is a chain leader"),
         "demand": N_("only chain leaders publish demand items: this enterprise is not a leader")}
BOOLEAN = N_("use true or false")

_COMMON = {"id": checks.line(64), "enterprise_id": checks.line(64), "name": checks.line(200, name=True),
           "description": checks.paragraph(5000), "category": checks.line(120, name=True),
           "chain": checks.line(60, name=True), "unit": checks.line(20, name=True)}
RULES = {
    "supply": {**_COMMON, "capacity": checks.amount, "certifications": checks.certifications,
               "status": checks.choice(STATUS["supply"], STATUSES["supply"])},
    "demand": {**_COMMON, "quantity": checks.amount, "unit_price": checks.amount,
               "required_certifications": checks.certifications,
               "prefer_local": checks.choice(BOOLEAN, (True, False)),
               "current_supplier_region": checks.line(120, name=True), "deadline": checks.date,
               "status": checks.choice(STATUS["demand"], STATUSES["demand"])},
}
REQUIRED = ("id", "enterprise_id", "name")


def check_item(kind: str, record: dict, owner_role: str | None = None) -> Errors:
    """Field -> messages for one item record; `owner_role` is the role of its enterprise, if known."""
    errors = checks.run(record, RULES[kind], REQUIRED)
    if owner_role is not None and owner_role not in OWNER_ENTERPRISE_ROLES[kind]:
        errors.setdefault("enterprise_id", [OWNER[kind]])
    return errors
