"""The batch plan as officials ask for it: read the inputs, ask the matching engine for candidate
pairs, solve (matchmaker.docking.plan), report the rates before and after.

Candidate pairs: for each open demand item not served locally, the engine's suggestions among local
suppliers (Filters(local_only=True)), kept when the suggestion grades at least GOOD
(matching.ranking.GOOD_FIT) with no missing certification; each of its shown supply items is a pair when
that item itself fits at least GOOD and its own certifications (with its firm's) meet every requirement.
"""
from __future__ import annotations

from datetime import date

from graph import chains as chain_repo
from graph import localization as localization_repo
from graph import plan_inputs
from graph.db import GraphDB

from ..errors import N_, DomainError, Invalid
from ..matching.engine import Filters
from ..matching.ranking import GOOD_FIT, grade
from ..matching.structured import missing_certifications, valid_certifications
from ..services.chain_names import ChainNames
from ..services.rate_inputs import to_projection
from ..services.permissions import Principal, require_plans
from . import engagements
from .plan import Need, Offer, Pair, greedy, local_value, rates, remaining_capacity, solve

SUGGESTIONS_PER_ITEM = 10     # local suppliers asked per demand item
UNKNOWN_CHAIN = N_("no chain has this id or name")


def resolve_chain(db: GraphDB, chain: str | None) -> str | None:
    """A chain id from an id or a name (zh, en, alias); None for all chains; 422 naming `chain` else."""
    if not chain:
        return None
    chain_id = ChainNames(chain_repo.chain_names(db)).resolve(chain)
    if chain_id is None:
        raise Invalid(UNKNOWN_CHAIN, {"chain": [UNKNOWN_CHAIN]})
    return chain_id


def make_plan(db: GraphDB, runtime, principal: Principal, chain: str | None = None,
              today: date | None = None) -> dict:
    require_plans(principal)
    chain_id = resolve_chain(db, chain)
    demands, left = _open_demands(db, chain_id)
    pairs = _candidates(runtime, demands.values(), today or date.today())
    offers, items, suppliers = _offers(db, pairs)
    needs = [Need(d["id"], left[d["id"]], float(d.get("unit_price") or 0), d.get("unit"), d.get("enterprise_id"))
             for d in demands.values()]
    plan = solve(needs, list(offers.values()), pairs)
    before, after = rates(to_projection(localization_repo.projection_rows(db, chain_id)), chain_id, plan)
    fits = {(p.demand_id, p.supply_item_id): p.fit for p in pairs}
    return {"chain": chain_id,
            "assignments": [_row(a, demands, items, suppliers, fits) for a in plan],
            "local_value": local_value(plan), "greedy_local_value": local_value(greedy(needs, list(offers.values()),
                                                                                       pairs)),
            "rate_before": _r(before), "rate_after": _r(after),
            "counts": {"open_items": len(demands), "candidate_pairs": len(pairs)}}


def _r(rate: float | None) -> float | None:
    return None if rate is None else round(rate, 6)


def _open_demands(db: GraphDB, chain_id: str | None) -> tuple[dict[str, dict], dict[str, float]]:
    """Open demand items not served locally with the quantity still to source (minus local contracts)."""
    demands: dict[str, dict] = {}
    contracted: dict[str, float] = {}
    for row in plan_inputs.open_demands(db, chain_id):
        d = row["demand"]
        demands.setdefault(d["id"], {**d, "leader_name": row.get("leader_name"),
                                     "leader_name_en": row.get("leader_name_en")})
        contracted[d["id"]] = contracted.get(d["id"], 0.0) + float(row.get("contracted_quantity") or 0)
    left = {i: float(d.get("quantity") or 0) - contracted[i] for i, d in demands.items()}
    return {i: d for i, d in demands.items() if left[i] > 0 and d.get("unit_price")}, left


def _candidates(runtime, demands, today: date) -> list[Pair]:
    demands, pairs = list(demands), []
    suppliers = runtime.engine().suppliers_for_many(demands, Filters(local_only=True), limit=SUGGESTIONS_PER_ITEM,
                                                    today=today)
    for demand, ranked in zip(demands, suppliers):
        for s in ranked:
            if s.band < grade(GOOD_FIT) or s.missing_certifications or not s.local:
                continue
            for item in s.items:
                held = valid_certifications(item.certifications, today)
                if (item is s.items[0] or item.fit >= GOOD_FIT) and not missing_certifications(
                        demand.get("required_certifications"), held):
                    pairs.append(Pair(demand["id"], item.item_id, round(item.fit, 4)))
    return pairs


def _offers(db: GraphDB, pairs: list[Pair]) -> tuple[dict[str, Offer], dict[str, dict], dict[str, dict]]:
    named, siblings = plan_inputs.offers(db, sorted({p.supply_item_id for p in pairs}))
    contracts, items, suppliers = {}, {}, {}
    for r in named:
        items[r["item"]["id"]] = {**r["item"], "supplier_id": r["supplier_id"], "local": r["supplier_local"]}
        suppliers[r["supplier_id"]] = {"name": r.get("supplier_name"), "name_en": r.get("supplier_name_en")}
        if r.get("engagement_id"):
            contracts[r["engagement_id"]] = {"supplier_id": r["supplier_id"], "supply_item_id": r["engaged_item"],
                                             "quantity": r["engaged_quantity"], "category_id": r["engaged_category"],
                                             "unit": r["engaged_unit"]}
    everything = [{**s["item"], "supplier_id": s["supplier_id"]} for s in siblings]
    left = remaining_capacity(everything, list(contracts.values()))
    offers = {i: Offer(i, it["supplier_id"], left.get(i, 0.0), it.get("unit")) for i, it in items.items()
              if it.get("local") and it.get("status") == "published"}
    return offers, items, suppliers


def _row(a, demands: dict, items: dict, suppliers: dict, fits: dict) -> dict:
    demand, supplier = demands[a.demand_item_id], suppliers.get(a.supplier_id, {})
    item = items.get(a.supply_item_id, {})
    return {**a.as_dict(), "fit": fits.get((a.demand_item_id, a.supply_item_id), a.fit),
            "leader_id": demand.get("enterprise_id"), "leader_name": demand.get("leader_name"),
            "leader_name_en": demand.get("leader_name_en"), "demand_item_name": demand.get("name"),
            "unit": demand.get("unit"), "unit_price": demand.get("unit_price"),
            "supplier_name": supplier.get("name"), "supplier_name_en": supplier.get("name_en"),
            "supply_item_name": item.get("name")}


# -- turning ticked pairs into invitations ------------------------------------------------------

BAD_PAIR = N_("each pair is demand item id|supplier id|supply item id")
NO_PAIRS = N_("tick at least one pair")
MAX_PAIRS = 500


def parse_pairs(values: list[str]) -> list[tuple[str, str, str | None]]:
    """Form values `demand|supplier|supply item` -> tuples; any malformed one is a 422 naming `pair` (and its row)."""
    if not values:
        raise Invalid(NO_PAIRS, {"pair": [NO_PAIRS]})
    if len(values) > MAX_PAIRS:
        raise Invalid(BAD_PAIR, {"pair": [f"at most {MAX_PAIRS} pairs at once"]})
    out, bad = [], []
    for n, value in enumerate(values, 1):
        parts = value.split("|")
        if len(parts) != 3 or not parts[0] or not parts[1] or any(len(p) > 64 for p in parts):
            bad.append(n)
            continue
        out.append((parts[0], parts[1], parts[2] or None))
    if bad:
        raise Invalid(BAD_PAIR, {"pair": [BAD_PAIR], **{f"pair[{n}]": [BAD_PAIR] for n in bad}})
    return out


def invite_pairs(db: GraphDB, principal: Principal, pairs: list[tuple[str, str, str | None]]) -> dict:
    """engagements.invite for each pair. Each invitation is its own write: the answer lists the created
    ones, the pairs already engaged (with the existing engagement) and any refused with the reason."""
    require_plans(principal)
    created, existing, refused = [], [], []
    for demand_id, supplier_id, supply_item_id in pairs:
        pair = {"demand_item_id": demand_id, "supplier_id": supplier_id, "supply_item_id": supply_item_id}
        try:
            made = engagements.invite(db, principal, demand_id, supplier_id, supply_item_id)
            created.append({**pair, "engagement_id": made["id"]})
        except DomainError as exc:
            if exc.extra.get("existing"):
                existing.append({**pair, "engagement_id": exc.extra["existing"]})
            else:
                refused.append({**pair, "message": exc.message, "fields": exc.fields})
    return {"created": created, "existing": existing, "refused": refused}
