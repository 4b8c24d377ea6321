"""The docking funnel as the API and the page ask for it: scope checks, one read, pure figures.

Scope: officials see the chains they are in charge of (their account's `chains`; none set means
every chain), admins every chain, a leader firm's accounts only their own firm (permissions).
"""
from __future__ import annotations

from graph import chains as chain_repo
from graph import funnel as repo
from graph.db import GraphDB

from ..analytics.funnel import funnels
from ..errors import N_, Forbidden, Invalid
from ..services.permissions import Principal, funnel_leader


def funnel_view(db: GraphDB, principal: Principal, chain: str | None = None, leader: str | None = None) -> dict:
    """{"scope": {chain, leader, chains}, "funnel": the whole scope's funnel, "by_chain": {chain: funnel},
    "by_leader": {leader: funnel}}."""
    leader = funnel_leader(principal, leader)
    if chain is not None and chain not in {c["id"] for c in chain_repo.chain_names(db)}:
        raise Invalid(N_("some filters are not valid"), {"chain": [N_("no chain has this id")]})
    official = principal.id if principal.role == "official" else None
    in_charge = repo.official_chains(db, principal.id) if official else []
    if chain is not None and in_charge and chain not in in_charge:
        raise Forbidden(N_("this chain is not among the chains you are in charge of"))
    engagements, events = repo.projection(db, chain=chain, leader=leader, official_id=official)
    return {"scope": {"chain": chain, "leader": leader, "chains": in_charge},
            **funnels(engagements, events, by_chain=lambda g: g.get("chain_id"),
                      by_leader=lambda g: g.get("leader_id"))}


def leader_choices(db: GraphDB, principal: Principal, chain: str | None = None) -> list[dict]:
    """The leader picker: leaders with engagements in the caller's scope (a leader: its own firm)."""
    own = funnel_leader(principal, None)
    official = principal.id if principal.role == "official" else None
    found = repo.leaders(db, chain=chain, official_id=official)
    return [f for f in found if own is None or f["id"] == own]
