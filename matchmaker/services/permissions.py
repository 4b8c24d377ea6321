"""Who may do what: one rule per action, used by the API, the pages, imports and staged uploads.

Pure functions over a Principal; no I/O. Decisions (README, "Roles"):
- Officials curate the lists for firms that cannot use the platform: like admins, they create,
  edit and end any firm's items and import any row; each revision records the acting account.
- A firm's account (leader: demand, sme: supply) writes only its own enterprise's items, and an
  item never moves to another firm through it; only officials and admins move items.
- Which firm may own an item of a list (leaders ask, SMEs and other firms supply) is a record
  rule (matchmaker.rules.items), so it holds for officials and admins too.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import N_, Forbidden, Unauthorized
from ..rules.vocab import LIST_ACCOUNT_ROLE, MANAGERS

OWNER_ROLE = LIST_ACCOUNT_ROLE  # account role that writes its own firm's list
READ_ALL = MANAGERS


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


def is_manager(principal: Principal) -> bool:
    return principal.role in MANAGERS


def can_read_item(principal: Principal, item: dict) -> bool:
    """Published items are public; drafts, withdrawn and closed ones only for the owner and officials."""
    return (item.get("status") == "published" or is_manager(principal)
            or owns(principal, item.get("enterprise_id")))


def may_write_item(principal: Principal, kind: str, current_owner: str | None, new_owner: str | None) -> bool:
    """May this principal save an item of `kind` now owned by `current_owner` (None: a new item)
    as belonging to `new_owner`? Creating, editing, ending, moving and importing all ask this."""
    if is_manager(principal):
        return True
    if principal.role != OWNER_ROLE[kind] or not owns(principal, new_owner):
        return False
    return current_owner is None or current_owner == new_owner


def may_import_row(principal: Principal, kind: str, current_owner: str | None, new_owner: str | None) -> bool:
    """A file row: enterprises need a manager; an item row is an item write."""
    if kind == "enterprises":
        return may_manage_enterprises(principal)
    return may_write_item(principal, kind, current_owner, new_owner)


def may_manage_enterprises(principal: Principal) -> bool:
    return is_manager(principal)


def may_see_procurement(principal: Principal, enterprise_id: str | None) -> bool:
    """A leader's procurement figures: officials, admins and the firm itself (pages, API, exports)."""
    return is_manager(principal) or owns(principal, enterprise_id)


def may_see_contacts(principal: Principal) -> bool:
    """A firm's contact person, phone, e-mail and website: signed-in accounts only (no harvesting by bots)."""
    return principal.authenticated


def require_login(principal: Principal) -> None:
    if not principal.authenticated:
        raise Unauthorized("sign in first (or send an API token as 'Authorization: Bearer <token>')")


def require_item_write(principal: Principal, kind: str, current_owner: str | None, new_owner: str | None) -> None:
    require_login(principal)
    if may_write_item(principal, kind, current_owner, new_owner):
        return
    if current_owner is not None and new_owner != current_owner and may_write_item(
            principal, kind, current_owner, current_owner):
        raise Forbidden(N_("only officials and admins move an item to another enterprise"))
    raise Forbidden(f"you may not change {kind} items of enterprise '{new_owner or current_owner}'")


def require_item_create(principal: Principal, kind: str) -> None:
    """Adding an item (and opening its form): officials, admins, and firm accounts of the list's role."""
    require_login(principal)
    if not (is_manager(principal) or may_write_item(principal, kind, None, principal.enterprise_id)):
        raise Forbidden(f"only {OWNER_ROLE[kind]} accounts linked to an enterprise, officials and admins "
                        f"add {kind} items")


def require_role(principal: Principal, *roles: str) -> None:
    require_login(principal)
    if principal.role not in roles:
        raise Forbidden(N_("only officials and admins may do this") if set(roles) <= set(MANAGERS)
                        else N_("your account's role may not do this"))


def require_matches_of_demand(principal: Principal, demand: dict) -> None:
    """Suggested suppliers of a demand item: its firm's accounts, officials and admins."""
    require_login(principal)
    if not is_manager(principal) and not owns(principal, demand.get("enterprise_id")):
        raise Forbidden(N_("only the demand's firm and officials see its suggested suppliers"))


def require_feedback(principal: Principal, demand: dict) -> None:
    """Confirming or dismissing a suggestion: the demand's firm, officials and admins."""
    require_matches_of_demand(principal, demand)


def require_opportunities_of(principal: Principal, enterprise_id: str) -> None:
    """An SME's ranked opportunities: its own accounts, officials and admins."""
    require_login(principal)
    if not is_manager(principal) and not owns(principal, enterprise_id):
        raise Forbidden(N_("only the firm itself and officials see its opportunities"))


def require_manager(principal: Principal) -> None:
    require_role(principal, *MANAGERS)


# -- localization rates and the batch plan ---------------------------------------------------

def may_see_rates(principal: Principal, enterprise_id: str | None) -> bool:
    """Localization figures follow the procurement rule: a chain's, segment's or category's figure
    (enterprise_id None) officials and admins; a leader's own figures also that leader's accounts."""
    if enterprise_id is None:
        return is_manager(principal)
    return may_see_procurement(principal, enterprise_id)


def require_rates(principal: Principal, chain_id: str | None) -> None:
    """All chains' rates: officials and admins; one chain's: also a leader's accounts (its own figures)."""
    require_login(principal)
    if is_manager(principal) or (chain_id is not None and principal.role == "leader" and principal.enterprise_id):
        return
    raise Forbidden(N_("only officials and admins see chain localization rates; a leader sees its own"))


def may_see_exposure(principal: Principal, leader_id: str | None) -> bool:
    """A leader's exposure to non-local single sources (a chain's resilience) names what it buys and from
    whom: the procurement rule, officials, admins and the leader's own accounts."""
    return may_see_procurement(principal, leader_id)


def require_plans(principal: Principal) -> None:
    """The batch plan (computing, exporting, turning pairs into invitations): officials and admins."""
    require_login(principal)
    if not is_manager(principal):
        raise Forbidden(N_("only officials and admins make batch plans"))


# -- docking (engagements): the side an account acts for; the stage rule is docking.stages ----------

def engagement_side(principal: Principal, engagement: dict) -> str | None:
    """'official' (officials and admins, on any firm's behalf), 'leader' (the demand's firm),
    'supplier' (the invited firm), or None: this account has no part in the engagement."""
    if is_manager(principal):
        return "official"
    if owns(principal, engagement.get("leader_id")):
        return "leader"
    if owns(principal, engagement.get("supplier_id")):
        return "supplier"
    return None


def require_engagement_read(principal: Principal, engagement: dict) -> str:
    """Both firms' accounts, officials and admins see an engagement; returns the caller's side."""
    require_login(principal)
    side = engagement_side(principal, engagement)
    if side is None:
        raise Forbidden(N_("only the two firms and officials see an engagement"))
    return side


def require_invite(principal: Principal, demand: dict) -> None:
    """Inviting a supplier for a demand item: the demand's firm, officials and admins."""
    require_login(principal)
    if not is_manager(principal) and not owns(principal, demand.get("enterprise_id")):
        raise Forbidden(N_("only the demand's firm and officials invite suppliers for it"))


# -- docking: the funnel and matchmaking rounds ------------------------------------------------------

def funnel_leader(principal: Principal, leader: str | None) -> str | None:
    """The leader filter this account may see the funnel with: officials and admins any (None: all
    in their scope); a leader firm's accounts only their own firm (None becomes it); SMEs none."""
    require_login(principal)
    if is_manager(principal):
        return leader
    if principal.role == "leader" and principal.enterprise_id:
        if leader not in (None, principal.enterprise_id):
            raise Forbidden(N_("a leader's accounts see only their own firm's funnel"))
        return principal.enterprise_id
    raise Forbidden(N_("only chain leaders, officials and admins see the docking funnel"))


def require_round_write(principal: Principal) -> None:
    """Creating, editing and deleting rounds, their pairs and outcomes: officials and admins."""
    require_login(principal)
    if not is_manager(principal):
        raise Forbidden(N_("only officials and admins run matchmaking rounds"))


def round_firm(principal: Principal) -> str | None:
    """Whose pairs of a round this account reads: None for officials and admins (every pair),
    else the firm it represents (its own pairs, in the rounds it takes part in)."""
    require_login(principal)
    if is_manager(principal):
        return None
    if not principal.enterprise_id:
        raise Forbidden(N_("only officials and the firms taking part see matchmaking rounds"))
    return principal.enterprise_id


def require_round_read(principal: Principal, firm_pairs: int) -> None:
    """A round: officials and admins; a firm's accounts when the firm has a pair in it."""
    if round_firm(principal) is not None and firm_pairs == 0:
        raise Forbidden(N_("only officials and the firms taking part see matchmaking rounds"))
