"""Matchmaking rounds (对接会): an official's rounds, their pairs, outcomes and tally.

Every pair is an engagement: adding one invites the supplier through
`engagements.invite(..., round_id=...)` (an active engagement of the same pair is linked,
not an error), and an outcome moves it through `engagements.move` as the official, recorded
as done on the firms' behalf. Rules are in round_rules (pure); who may do what in
services/permissions.py. Deleting a pair or a round leaves its engagements as they are.
"""
from __future__ import annotations

import uuid

from graph import chains as chain_repo
from graph import enterprises as enterprise_repo
from graph import item_feed
from graph import rounds as repo
from graph.db import GraphDB

from ..errors import N_, Conflict, Invalid, NotFound
from ..services.permissions import Principal, require_round_read, require_round_write, round_firm
from ..timestamps import stamp
from . import engagements
from .round_rules import assign_tables, outcome_moves, tally
from .stages import CONTRACTED, move_problems

EDITABLE = ("title", "date", "place", "chains")


def list_rounds(db: GraphDB, principal: Principal) -> list[dict]:
    """Officials and admins: every round; a firm's accounts: the rounds it takes part in."""
    return repo.list_rounds(db, round_firm(principal))


def create_round(db: GraphDB, principal: Principal, data: dict) -> dict:
    require_round_write(principal)
    _check_chains(db, data["chains"])
    record = {"id": f"R-{uuid.uuid4().hex[:12]}", "title": data["title"], "date": data["date"].isoformat(),
              "place": data.get("place") or "", "chains": list(data["chains"]), "created_by": principal.id,
              "created_at": stamp()}
    return repo.create(db, record)


def get_round(db: GraphDB, principal: Principal, round_id: str) -> dict:
    """{round, pairs (the caller's own for a firm), tally (of every pair)}."""
    found = _round(db, round_id)
    firm = round_firm(principal)
    pairs = repo.pairs_of(db, round_id)
    mine = [p for p in pairs if firm is None or firm in (p["leader_id"], p["supplier_id"])]
    require_round_read(principal, len(mine))
    return {"round": found, "pairs": mine, "tally": tally(pairs)}


def update_round(db: GraphDB, principal: Principal, round_id: str, changes: dict,
                 expected_version: int | None = None) -> dict:
    require_round_write(principal)
    found = _round(db, round_id)
    if "chains" in changes:
        _check_chains(db, changes["chains"])
    values = {k: (v.isoformat() if k == "date" else v) for k, v in changes.items() if k in EDITABLE}
    saved = repo.update(db, round_id, values, found["version"] if expected_version is None else expected_version)
    if saved is None:
        raise Conflict(N_("the round changed since you read it: reload it and make the change again"),
                       {"version": [str(_round(db, round_id)["version"])]})
    return saved


def delete_round(db: GraphDB, principal: Principal, round_id: str, expected_version: int | None = None) -> None:
    require_round_write(principal)
    found = _round(db, round_id)
    if not repo.delete(db, round_id, found["version"] if expected_version is None else expected_version):
        raise Conflict(N_("the round changed since you read it: reload it and make the change again"))


def add_pairs(db: GraphDB, principal: Principal, round_id: str, wanted: list[dict]) -> dict:
    """Add pairs {demand_item_id, supplier_id, supply_item_id?}: each becomes an invitation.

    Every row is checked before anything is written (an error names the row). Returns
    {"added": [pairs], "linked": [pairs whose pair already had an active engagement],
    "skipped": [rows already paired in this round]}.
    """
    require_round_write(principal)
    found = _round(db, round_id)
    rows = _checked_rows(db, found, wanted)
    present = {(p["demand_id"], p["supplier_id"]) for p in repo.pairs_of(db, round_id)}
    new, linked, skipped = [], set(), []
    try:
        for row in rows:
            if (row["demand_id"], row["supplier_id"]) in present:  # in the round, or twice in this request
                skipped.append(row)
                continue
            engagement_id = _invite(db, principal, found, row, linked)
            new.append({"id": f"RP-{uuid.uuid4().hex[:12]}", "engagement_id": engagement_id, **row})
            present.add((row["demand_id"], row["supplier_id"]))
    finally:  # every invitation made for the round gets its pair, even if a later one fails
        added = repo.add_pairs(db, round_id, lambda existing: assign_tables(existing, _unpaired(existing, new)),
                               stamp()) if new else []
    return {"added": [p for p in added if p["engagement_id"] not in linked],
            "linked": [p for p in added if p["engagement_id"] in linked],
            "skipped": [{"demand_item_id": r["demand_id"], "supplier_id": r["supplier_id"]} for r in skipped]}


def _invite(db: GraphDB, principal: Principal, found: dict, row: dict, linked: set) -> str:
    """The engagement id of a new pair: a new invitation, or the pair's active engagement (noted in `linked`)."""
    try:
        return engagements.invite(db, principal, row["demand_id"], row["supplier_id"], row["supply_item_id"],
                                  note=found["title"], round_id=found["id"])["id"]
    except Conflict as exc:
        existing = (getattr(exc, "extra", None) or {}).get("existing")
        if not existing:
            raise
        linked.add(existing)
        return existing


def _unpaired(existing: list[dict], new: list[dict]) -> list[dict]:
    """The new pairs not already in the round as it is inside the write (a concurrent add)."""
    taken = {(p["demand_id"], p["supplier_id"]) for p in existing}
    return [p for p in new if (p["demand_id"], p["supplier_id"]) not in taken]


def record_outcome(db: GraphDB, principal: Principal, round_id: str, pair_id: str, data: dict) -> dict:
    """Record a pair's outcome and move its engagement to match (as the official, on the firms' behalf).

    signed needs value, quantity and start_date (the contract); the engagement moves first, so a
    refused move leaves the pair as it was.
    """
    require_round_write(principal)
    _round(db, round_id)
    pair = repo.get_pair(db, round_id, pair_id)
    if pair is None:
        raise NotFound(N_("no such pair in this round"))
    outcome, note = data["outcome"], data.get("note") or ""
    contract = {k: data.get(k) for k in ("quantity", "value", "start_date")}
    if outcome == "signed":
        contract["start_date"] = contract["start_date"].isoformat() if contract["start_date"] else None
        problems = move_problems(CONTRACTED, **contract)
        if problems:
            raise Invalid(N_("some fields are not valid"), problems)
    elif any(v is not None for v in contract.values()):
        raise Invalid(N_("some fields are not valid"),
                      {k: [N_("only a signed pair carries quantity, value and start date")]
                       for k, v in contract.items() if v is not None})
    engagement = engagements.get(db, principal, pair["engagement_id"])
    _move(db, principal, engagement, outcome, contract, note)
    return repo.set_outcome(db, round_id, pair_id, outcome, contract["value"], note, stamp())


def delete_pair(db: GraphDB, principal: Principal, round_id: str, pair_id: str) -> None:
    require_round_write(principal)
    _round(db, round_id)
    if not repo.delete_pair(db, round_id, pair_id):
        raise NotFound(N_("no such pair in this round"))


def pairs_of(db: GraphDB, principal: Principal, round_id: str) -> list[dict]:
    return get_round(db, principal, round_id)["pairs"]


def _move(db: GraphDB, principal: Principal, engagement: dict, outcome: str, contract: dict, note: str) -> None:
    status, version = engagement["status"], engagement.get("version")
    if outcome == "signed" and status == CONTRACTED:
        if engagement.get("value") != contract["value"]:
            engagements.correct_contract(db, principal, engagement["id"], value=contract["value"],
                                         quantity=contract["quantity"], note=note, expected_version=version)
        return
    for step in outcome_moves(outcome, status):
        extra = contract if step == CONTRACTED else {}
        moved = engagements.move(db, principal, engagement["id"], step, note=note,
                                 reason="no_fit" if outcome == "no_fit" else None, expected_version=version,
                                 **extra)
        version = moved.get("version")


def _round(db: GraphDB, round_id: str) -> dict:
    found = repo.get(db, round_id)
    if found is None:
        raise NotFound(N_("no such matchmaking round"))
    return found


def _check_chains(db: GraphDB, chains: list[str]) -> None:
    known = {c["id"] for c in chain_repo.chain_names(db)}
    unknown = [c for c in chains if c not in known]
    if unknown:
        raise Invalid(N_("some fields are not valid"), {"chains": [N_("no chain has this id")]})


def _checked_rows(db: GraphDB, found: dict, wanted: list[dict]) -> list[dict]:
    """The rows as pairs {demand_id, supplier_id, supply_item_id, leader_id}, or Invalid naming each bad row."""
    demands = {d["id"]: d for d in item_feed.items_by_ids(db, "demand", [w["demand_item_id"] for w in wanted])}
    offers = {o["id"]: o for o in item_feed.items_by_ids(
        db, "supply", [w["supply_item_id"] for w in wanted if w.get("supply_item_id")])}
    firms = enterprise_repo.roles_of(db, [w["supplier_id"] for w in wanted])
    problems, rows = {}, []
    for n, w in enumerate(wanted):
        demand, offer, firm = demands.get(w["demand_item_id"]), offers.get(w.get("supply_item_id")), firms.get(
            w["supplier_id"])
        if demand is None or demand.get("status") != "published":
            problems[f"pairs.{n}.demand_item_id"] = [N_("no published demand item has this id")]
        elif demand.get("chain_id") not in found["chains"]:
            problems[f"pairs.{n}.demand_item_id"] = [N_("the demand item is not in the round's chains")]
        if firm is None or firm.get("role") == "leader":
            problems[f"pairs.{n}.supplier_id"] = [N_("no supplier enterprise has this id")]
        elif demand is not None and demand.get("enterprise_id") == w["supplier_id"]:
            problems[f"pairs.{n}.supplier_id"] = [N_("a firm cannot supply its own demand")]
        if w.get("supply_item_id") and (offer is None or offer.get("enterprise_id") != w["supplier_id"]):
            problems[f"pairs.{n}.supply_item_id"] = [N_("the supplier has no supply item with this id")]
        if demand is not None:
            rows.append({"demand_id": demand["id"], "supplier_id": w["supplier_id"],
                         "supply_item_id": w.get("supply_item_id"), "leader_id": demand.get("enterprise_id")})
    if problems:
        raise Invalid(N_("some pairs are not valid: nothing was added"), problems)
    return rows
