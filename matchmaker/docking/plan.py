"""The batch plan: local suppliers for open demand items, maximising the demand value sourced locally. Pure.

A min-cost flow in networkx (docs/DOCKING.md, "Batch plan"): source -> supply item (its remaining
capacity) -> demand item (candidate pairs only, cost = -unit price) -> sink (the item's remaining
quantity), plus a zero-cost arc source -> sink so that no unit is forced through. The cheapest flow is
then the assignment of greatest value. Quantities are integers in thousandths of a unit and prices in fen
(network simplex needs integers). Each connected part of the candidate graph is solved on its own; a
part with one supply item or one demand item is solved exactly without the solver (highest price first),
and so is a part where the greedy assignment already reaches an upper bound of the value (every item
sourced as far as its candidates' capacity goes): only the other parts need the flow.
Units: a pair is kept only when the supply item's unit and the demand item's unit agree or one is
missing (matchmaker.matching.structured.same_unit: 件 = pcs).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import networkx as nx

from ..analytics.localization import Contract, scope_figure, with_contracts
from ..matching.structured import same_unit

__all__ = ["Need", "Offer", "Pair", "Assignment", "solve", "greedy", "local_value", "rates", "remaining_capacity",
           "QUANTUM"]

QUANTUM = 1000   # quantities in thousandths of a unit


@dataclass(frozen=True)
class Need:
    """An open demand item not served locally, with the quantity still to source."""
    id: str
    quantity: float
    unit_price: float
    unit: str | None = None
    leader_id: str | None = None


@dataclass(frozen=True)
class Offer:
    """A local supplier's supply item with the capacity its contracts leave."""
    id: str
    supplier_id: str
    capacity: float
    unit: str | None = None


@dataclass(frozen=True)
class Pair:
    demand_id: str
    supply_item_id: str
    fit: float = 0.0


@dataclass(frozen=True)
class Assignment:
    demand_item_id: str
    supplier_id: str
    supply_item_id: str
    quantity: float
    value: float
    fit: float = 0.0

    def as_dict(self) -> dict:
        return asdict(self)


def _units(x: float) -> int:
    return max(0, int(x * QUANTUM + 1e-6))


def _fen(price: float) -> int:
    return int(round(price * 100))


def _usable(needs: list[Need], offers: list[Offer], pairs: list[Pair]):
    need = {n.id: n for n in needs if _units(n.quantity) > 0 and _fen(n.unit_price) > 0}
    offer = {o.id: o for o in offers if _units(o.capacity) > 0}
    kept: dict[tuple[str, str], Pair] = {}
    for p in pairs:
        n, o = need.get(p.demand_id), offer.get(p.supply_item_id)
        if n and o and same_unit(o.unit, n.unit):
            key = (p.demand_id, p.supply_item_id)
            if key not in kept or p.fit > kept[key].fit:
                kept[key] = p
    return need, offer, list(kept.values())


def _assignment(n: Need, o: Offer, units: int, fit: float) -> Assignment:
    quantity = units / QUANTUM
    return Assignment(n.id, o.supplier_id, o.id, quantity, round(quantity * n.unit_price, 2), fit)


def greedy(needs: list[Need], offers: list[Offer], pairs: list[Pair]) -> list[Assignment]:
    """The baseline: pairs by highest unit price (then fit), each filled as far as it goes."""
    need, offer, pairs = _usable(needs, offers, pairs)
    return [_assignment(need[p.demand_id], offer[p.supply_item_id], units, p.fit)
            for p, units in _greedy_units(need, offer, pairs)]


def _greedy_units(need: dict[str, Need], offer: dict[str, Offer], pairs: list[Pair]) -> list[tuple[Pair, int]]:
    left_q = {p.demand_id: _units(need[p.demand_id].quantity) for p in pairs}
    left_c = {p.supply_item_id: _units(offer[p.supply_item_id].capacity) for p in pairs}
    out = []
    for p in sorted(pairs, key=lambda p: (-_fen(need[p.demand_id].unit_price), -p.fit, p.demand_id,
                                          p.supply_item_id)):
        units = min(left_q[p.demand_id], left_c[p.supply_item_id])
        if units > 0:
            left_q[p.demand_id] -= units
            left_c[p.supply_item_id] -= units
            out.append((p, units))
    return out


def _bound(need: dict[str, Need], offer: dict[str, Offer], pairs: list[Pair]) -> int:
    """An upper bound of a part's value (fen x units): each item as far as its candidates' capacity goes."""
    reach: dict[str, int] = {}
    for p in pairs:
        reach[p.demand_id] = reach.get(p.demand_id, 0) + _units(offer[p.supply_item_id].capacity)
    return sum(_fen(need[i].unit_price) * min(_units(need[i].quantity), r) for i, r in reach.items())


def solve(needs: list[Need], offers: list[Offer], pairs: list[Pair], stats: dict | None = None) -> list[Assignment]:
    """The assignment of greatest local value within capacities and quantities (see the module).

    `stats`, when given, counts the parts solved by each route (for the benchmark)."""
    need, offer, pairs = _usable(needs, offers, pairs)
    stats = stats if stats is not None else {}
    out: list[tuple[Pair, int]] = []
    for part in _parts(pairs):
        greedy_part = _greedy_units(need, offer, part)
        if len({p.demand_id for p in part}) == 1 or len({p.supply_item_id for p in part}) == 1:
            route, found = "single", greedy_part     # exact: one price, or highest price first on one capacity
        elif sum(_fen(need[p.demand_id].unit_price) * u for p, u in greedy_part) >= _bound(need, offer, part):
            route, found = "bound", greedy_part      # greedy reaches an upper bound: optimal
        else:
            route, found = "flow", _flow(need, offer, part)
        stats[route] = stats.get(route, 0) + 1
        out += found
    return sorted((_assignment(need[p.demand_id], offer[p.supply_item_id], u, p.fit) for p, u in out),
                  key=lambda a: (a.demand_item_id, a.supply_item_id))


def _parts(pairs: list[Pair]) -> list[list[Pair]]:
    """Connected parts of the candidate graph (union-find over demand and supply ids)."""
    parent: dict[tuple, tuple] = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in pairs:
        a, b = find(("d", p.demand_id)), find(("o", p.supply_item_id))
        if a != b:
            parent[a] = b
    groups: dict[tuple, list[Pair]] = {}
    for p in pairs:
        groups.setdefault(find(("d", p.demand_id)), []).append(p)
    return list(groups.values())


def _flow(need: dict[str, Need], offer: dict[str, Offer], pairs: list[Pair]) -> list[tuple[Pair, int]]:
    g = nx.DiGraph()
    supply = sum(_units(offer[i].capacity) for i in {p.supply_item_id for p in pairs})
    g.add_node("s", demand=-supply)
    g.add_node("t", demand=supply)
    g.add_edge("s", "t", weight=0, capacity=supply)
    for i in {p.supply_item_id for p in pairs}:
        g.add_edge("s", ("o", i), weight=0, capacity=_units(offer[i].capacity))
    for i in {p.demand_id for p in pairs}:
        g.add_edge(("d", i), "t", weight=0, capacity=_units(need[i].quantity))
    for p in pairs:
        g.add_edge(("o", p.supply_item_id), ("d", p.demand_id), weight=-_fen(need[p.demand_id].unit_price))
    _, flow = nx.network_simplex(g)
    return [(p, units) for p in pairs if (units := flow[("o", p.supply_item_id)][("d", p.demand_id)]) > 0]


def local_value(assignments: list[Assignment]) -> float:
    return round(sum(a.value for a in assignments), 2)


def rates(projection, chain_id: str | None, assignments: list[Assignment]) -> tuple[float | None, float | None]:
    """(rate_before, rate_after) of the chain (or of all chains) if every assignment were contracted."""
    extra = [Contract(f"plan:{a.demand_item_id}:{a.supply_item_id}", a.demand_item_id, a.value)
             for a in assignments]
    return scope_figure(projection, chain_id).rate, scope_figure(with_contracts(projection, extra), chain_id).rate


def remaining_capacity(items: list[dict], contracts: list[dict]) -> dict[str, float]:
    """{supply item id: capacity minus what contracted engagements commit}.

    items: {id, supplier_id, capacity, unit, category_id}; contracts: {supplier_id, supply_item_id,
    quantity, category_id, unit}. A contract naming a supply item is charged to it; one naming none is
    charged to its supplier's items of the demand's category and unit, largest capacity first. An item
    without a capacity has none to plan with.
    """
    left = {i["id"]: float(i.get("capacity") or 0) for i in items}
    by_supplier: dict[str, list[dict]] = {}
    for i in items:
        by_supplier.setdefault(i["supplier_id"], []).append(i)
    for c in contracts:
        quantity = float(c.get("quantity") or 0)
        if c.get("supply_item_id"):
            if c["supply_item_id"] in left:
                left[c["supply_item_id"]] -= quantity
            continue
        fitting = [i for i in by_supplier.get(c["supplier_id"], [])
                   if i.get("category_id") == c.get("category_id") and same_unit(i.get("unit"), c.get("unit"))]
        for i in sorted(fitting, key=lambda i: (-left[i["id"]], i["id"])):
            taken = min(quantity, max(0.0, left[i["id"]]))
            left[i["id"]] -= taken
            quantity -= taken
    return {k: max(0.0, v) for k, v in left.items()}
