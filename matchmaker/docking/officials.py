"""Which chains an official is in charge of: its account's `chains` (chain ids; empty: every chain).

The officials in charge of a demand item's chain hear of invitations and contracts there
(docking.announce). Set with `create-user --chains` or `official-chains EMAIL --chains a,b`.
"""
from __future__ import annotations

from graph import chains as chain_repo
from graph import users as user_repo
from graph.db import GraphDB

from ..errors import N_, Invalid, NotFound


def parse_chains(text: str | None) -> list[str]:
    """'nev, ic；' -> ['nev', 'ic'] (commas or semicolons, blanks dropped, order kept, no repeats)."""
    parts = (text or "").replace("；", ",").replace(";", ",").replace("，", ",").split(",")
    return list(dict.fromkeys(p.strip() for p in parts if p.strip()))


def set_official_chains(db: GraphDB, email: str, chains: list[str]) -> dict:
    """Set the chains an official account is in charge of; returns {id, chains}."""
    user = user_repo.get_by_email(db, (email or "").strip().lower())
    if user is None:
        raise NotFound(f"no account with e-mail {email!r}")
    if user["role"] != "official":
        raise Invalid(N_("only official accounts are in charge of chains"),
                      {"role": [N_("only official accounts are in charge of chains")]})
    check_chains(db, chains)
    return user_repo.set_chains(db, user["id"], chains)


def check_chains(db: GraphDB, chains: list[str]) -> None:
    """Invalid naming the chain ids that do not exist."""
    known = {c["id"] for c in chain_repo.list_chains(db)}
    unknown = [c for c in chains if c not in known]
    if unknown:
        raise Invalid(f"unknown chain ids: {', '.join(unknown)}", {"chains": [N_("no such chain")]})
