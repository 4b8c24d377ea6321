"""Who may do what, per object. Pure functions over a Principal; no I/O."""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import N_, Forbidden, Unauthorized

OWNER_ROLE = {"supply": "sme", "demand": "leader"}  # account role that owns each list
READ_ALL = ("admin", "official")


@dataclass(frozen=True)
class Principal:
    id: str | None = None
    role: str | None = None
    enterprise_id: str | None = None
    email: str = ""

    @property
    def authenticated(self) -> bool:
        return self.id is not None

    @classmethod
    def of(cls, user: dict | None) -> "Principal":
        if not user or not user.get("active"):
            return ANONYMOUS
        return cls(user["id"], user["role"], user.get("enterprise_id"), user.get("email", ""))


ANONYMOUS = Principal()


def owns(principal: Principal, enterprise_id: str | None) -> bool:
    return bool(principal.enterprise_id) and principal.enterprise_id == enterprise_id


def can_read_item(principal: Principal, item: dict) -> bool:
    """Published items are public; drafts, withdrawn and closed ones only for the owner and officials."""
    return (item.get("status") == "published" or principal.role in READ_ALL
            or owns(principal, item.get("enterprise_id")))


def can_write_item(principal: Principal, kind: str, enterprise_id: str | None) -> bool:
    if principal.role == "admin":
        return True
    return principal.role == OWNER_ROLE[kind] and owns(principal, enterprise_id)


def require_login(principal: Principal) -> None:
    if not principal.authenticated:
        raise Unauthorized("sign in first (or send an API token as 'Authorization: Bearer <token>')")


def require_item_write(principal: Principal, kind: str, enterprise_id: str | None) -> None:
    require_login(principal)
    if not can_write_item(principal, kind, enterprise_id):
        raise Forbidden(f"you may not change {kind} items of enterprise '{enterprise_id}'")


def require_item_create(principal: Principal, kind: str) -> None:
    """Adding an item (and opening its form): admins, and accounts of the list's role that represent a firm."""
    require_login(principal)
    if not can_write_item(principal, kind, principal.enterprise_id):
        raise Forbidden(f"only {OWNER_ROLE[kind]} accounts linked to an enterprise add {kind} items")


def require_role(principal: Principal, *roles: str) -> None:
    require_login(principal)
    if principal.role not in roles:
        raise Forbidden(f"this needs one of the roles: {', '.join(roles)}")


def can_import(principal: Principal, kind: str, enterprise_id: str) -> bool:
    """Officials and admins import any row; firms import only their own items."""
    if principal.role in READ_ALL:
        return True
    return kind != "enterprises" and can_write_item(principal, kind, enterprise_id)


def require_matches_of_demand(principal: Principal, demand: dict) -> None:
    """Suggested suppliers of a demand item: its firm's accounts, officials and admins."""
    require_login(principal)
    if principal.role not in READ_ALL and not owns(principal, demand.get("enterprise_id")):
        raise Forbidden(N_("only the demand's firm and officials see its suggested suppliers"))


def require_feedback(principal: Principal, demand: dict) -> None:
    """Confirming or dismissing a suggestion: the demand's firm, officials and admins."""
    require_matches_of_demand(principal, demand)


def require_opportunities_of(principal: Principal, enterprise_id: str) -> None:
    """An SME's ranked opportunities: its own accounts, officials and admins."""
    require_login(principal)
    if principal.role not in READ_ALL and not owns(principal, enterprise_id):
        raise Forbidden(N_("only the firm itself and officials see its opportunities"))
