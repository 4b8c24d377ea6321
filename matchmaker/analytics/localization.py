"""Localization supporting rates (本地配套率) from a projection. Pure: no I/O, plain dataclasses in and out.

Definition (../shared/DESIGN.md, docs/LOCALIZATION.md). For a leader L:
  T = its declared annual_procurement, else the value of its demand items;
  B = its declared local_procurement, else the value of its demand items served locally today;
  C = the value of its contracted engagements with local suppliers on demand items not served locally;
  rate(L) = min(1, (B + C) / T).
A chain: sum over its leaders of min(T, B + C) divided by the sum of their T (so a chain's rate is
exactly the T-weighted mean of its leaders' rates). A segment or category: over its demand items alone
(value served locally today or contracted locally, over their total value).
The potential rate adds to C the value of open demand items not served locally and not contracted
locally whose best suggestion is a local fully qualified supplier (the caller passes their ids).

Decisions: item-based figures count every demand item except drafts (an item closed after its contract
keeps counting); an undefined rate (T = 0) is None.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

__all__ = ["Leader", "DemandLine", "Contract", "Projection", "Figure", "leader_figure", "chain_figure",
           "group_figure", "items_figure", "with_contracts", "breakdown", "scope_figure", "ItemSums",
           "summed_breakdown", "counts_as_local", "verdict_is_current"]

COUNTED = ("published", "closed")   # demand statuses in item-based figures (not drafts)
OPEN = "published"


@dataclass(frozen=True)
class Leader:
    id: str
    name: str = ""
    name_en: str | None = None
    annual_procurement: float | None = None      # declared T
    local_procurement: float | None = None       # declared B
    chain_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemandLine:
    id: str
    leader_id: str
    value: float
    current_supplier_local: bool = False
    chain_id: str | None = None
    segment_id: str | None = None
    category_id: str | None = None
    status: str = OPEN


@dataclass(frozen=True)
class Contract:
    """An engagement as the rate sees it; only contracted ones with a local supplier count."""
    id: str
    demand_id: str
    value: float
    supplier_local: bool = True
    status: str = "contracted"


@dataclass
class Projection:
    leaders: list[Leader] = field(default_factory=list)
    demands: list[DemandLine] = field(default_factory=list)
    contracts: list[Contract] = field(default_factory=list)
    targets: dict[str, float | None] = field(default_factory=dict)   # chain id -> localization_target


@dataclass
class Figure:
    """One rate with what it is made of."""
    scope: str                     # leader | chain | segment | category | all
    id: str | None
    total: float = 0.0             # T
    local_value: float = 0.0       # B
    contracted_value: float = 0.0  # C
    potential_value: float = 0.0   # value the potential adds
    declared_total: bool = False
    declared_local: bool = False
    local_items: list[str] = field(default_factory=list)        # items behind B (when item-based)
    engagements: list[str] = field(default_factory=list)        # engagements behind C
    potential_items: list[str] = field(default_factory=list)    # items behind the potential
    target: float | None = None

    @property
    def counted(self) -> float:
        """B + C, at most T."""
        return min(self.total, self.local_value + self.contracted_value)

    @property
    def rate(self) -> float | None:
        return _ratio(self.local_value + self.contracted_value, self.total)

    @property
    def potential_rate(self) -> float | None:
        return _ratio(self.local_value + self.contracted_value + self.potential_value, self.total)

    def as_dict(self, ids: bool = True) -> dict:
        out = {"scope": self.scope, "id": self.id, "rate": _round(self.rate),
               "potential_rate": _round(self.potential_rate), "target": self.target,
               "total": self.total, "local_value": self.local_value, "contracted_value": self.contracted_value,
               "potential_value": self.potential_value, "declared_total": self.declared_total,
               "declared_local": self.declared_local,
               "counts": {"local_items": len(self.local_items), "engagements": len(self.engagements),
                          "potential_items": len(self.potential_items)}}
        if ids:
            out.update(local_items=sorted(self.local_items), engagements=sorted(self.engagements),
                       potential_items=sorted(self.potential_items))
        return out


def _ratio(part: float, total: float) -> float | None:
    return None if total <= 0 else min(1.0, max(0.0, part / total))


def _round(rate: float | None) -> float | None:
    return None if rate is None else round(rate, 6)


def verdict_is_current(checked_at, changed_at):
    """A potential verdict holds while its item has not changed since the check (change numbers;
    scalars or numpy arrays). graph/potential.py's queries say the same in Cypher."""
    return checked_at >= changed_at


def counts_as_local(c: Contract, item_served_locally: bool) -> bool:
    """The rule for C: a contracted engagement with a local supplier, of some value, on an item not
    served locally today."""
    return c.status == "contracted" and c.supplier_local and not item_served_locally and c.value > 0


def _local_contracts(p: Projection) -> dict[str, list[Contract]]:
    """Contracted engagements with local suppliers on items not served locally, by demand id."""
    served = {d.id for d in p.demands if d.current_supplier_local}
    out: dict[str, list[Contract]] = {}
    for c in p.contracts:
        if counts_as_local(c, c.demand_id in served):
            out.setdefault(c.demand_id, []).append(c)
    return out


def _potential(p: Projection, potential_ids: Iterable[str], contracted: dict) -> set[str]:
    wanted = set(potential_ids)
    return {d.id for d in p.demands
            if d.id in wanted and d.status == OPEN and not d.current_supplier_local and d.id not in contracted}


def items_figure(scope: str, scope_id: str | None, demands: list[DemandLine], contracted: dict[str, list[Contract]],
                 potential: set[str]) -> Figure:
    """Item-based figure over these demand items (a category, a segment, an undeclared leader)."""
    fig = Figure(scope, scope_id)
    for d in demands:
        for c in contracted.get(d.id, ()):
            fig.contracted_value += c.value
            fig.engagements.append(c.id)
        if d.status not in COUNTED:
            continue
        fig.total += d.value
        if d.current_supplier_local:
            fig.local_value += d.value
            fig.local_items.append(d.id)
        if d.id in potential:
            fig.potential_value += d.value
            fig.potential_items.append(d.id)
    return fig


def leader_figure(p: Projection, leader: Leader, potential_ids: Iterable[str] = ()) -> Figure:
    contracted = _local_contracts(p)
    own = [d for d in p.demands if d.leader_id == leader.id]
    fig = items_figure("leader", leader.id, own, contracted, _potential(p, potential_ids, contracted))
    return _declared(fig, leader)


def _declared(fig: Figure, leader: Leader) -> Figure:
    if leader.annual_procurement is not None:
        fig.total, fig.declared_total = float(leader.annual_procurement), True
    if leader.local_procurement is not None:
        fig.local_value, fig.declared_local, fig.local_items = float(leader.local_procurement), True, []
    return fig


def _leader_figures(p: Projection, potential_ids: Iterable[str]) -> dict[str, Figure]:
    contracted = _local_contracts(p)
    potential = _potential(p, potential_ids, contracted)
    by_leader: dict[str, list[DemandLine]] = {}
    for d in p.demands:
        by_leader.setdefault(d.leader_id, []).append(d)
    return {l.id: _declared(items_figure("leader", l.id, by_leader.get(l.id, []), contracted, potential), l)
            for l in p.leaders}


def _sum(scope: str, scope_id: str | None, figures: list[Figure], target: float | None = None) -> Figure:
    """Leaders summed: each counts B + C at most up to its T; potential likewise."""
    out = Figure(scope, scope_id, target=target)
    for f in figures:
        out.total += f.total
        out.local_value += min(f.total, f.local_value)
        out.contracted_value += max(0.0, min(f.total - min(f.total, f.local_value), f.contracted_value))
        out.potential_value += max(0.0, min(f.total - f.counted, f.potential_value))
        out.local_items += f.local_items
        out.engagements += f.engagements
        out.potential_items += f.potential_items
    return out


def chain_figure(p: Projection, chain_id: str, potential_ids: Iterable[str] = (),
                 leaders: dict[str, Figure] | None = None) -> Figure:
    leaders = leaders if leaders is not None else _leader_figures(p, potential_ids)
    members = [leaders[l.id] for l in p.leaders if chain_id in l.chain_ids]
    return _sum("chain", chain_id, members, p.targets.get(chain_id))


def group_figure(p: Projection, scope: str, scope_id: str, potential_ids: Iterable[str] = ()) -> Figure:
    """A segment's or a category's figure (scope 'segment' | 'category') over its demand items."""
    contracted = _local_contracts(p)
    key = {"segment": "segment_id", "category": "category_id"}[scope]
    own = [d for d in p.demands if getattr(d, key) == scope_id]
    return items_figure(scope, scope_id, own, contracted, _potential(p, potential_ids, contracted))


def with_contracts(p: Projection, extra: Iterable[Contract]) -> Projection:
    """The projection as if these engagements were contracted too (the batch plan's rate_after)."""
    return Projection(p.leaders, p.demands, [*p.contracts, *extra], p.targets)


def breakdown(p: Projection, chain_id: str | None = None, potential_ids: Iterable[str] = ()) -> dict:
    """Every figure of a scope: one chain (with leaders, segments, categories) or all chains."""
    potential_ids = set(potential_ids)
    leaders = _leader_figures(p, potential_ids)
    chain_ids = [chain_id] if chain_id else list(p.targets)
    chains = {c: chain_figure(p, c, potential_ids, leaders) for c in chain_ids}
    out: dict = {"chains": chains, "leaders": leaders,
                 "all": _sum("all", None, [leaders[l.id] for l in p.leaders])}
    if chain_id:
        contracted = _local_contracts(p)
        potential = _potential(p, potential_ids, contracted)
        mine = [d for d in p.demands if d.chain_id == chain_id]
        out["leaders"] = {l.id: leaders[l.id] for l in p.leaders if chain_id in l.chain_ids}
        out["segments"] = _groups(mine, "segment", contracted, potential)
        out["categories"] = _groups(mine, "category", contracted, potential)
    return out


def _groups(demands: list[DemandLine], scope: str, contracted: dict, potential: set[str]) -> dict[str, Figure]:
    key = f"{scope}_id"
    grouped: dict[str, list[DemandLine]] = {}
    for d in demands:
        if getattr(d, key):
            grouped.setdefault(getattr(d, key), []).append(d)
    return {g: items_figure(scope, g, ds, contracted, potential) for g, ds in sorted(grouped.items())}


@dataclass(frozen=True)
class ItemSums:
    """One leader's demand items summed, for a scope too large for a line per item (every chain at once):
    counted items' value (T), of those served locally (B) and their ids, and the potential's value and ids
    (open items not served and not contracted locally whose verdict is a local fit)."""
    total: float = 0.0
    local_value: float = 0.0
    local_items: tuple[str, ...] = ()
    potential_value: float = 0.0
    potential_items: tuple[str, ...] = ()


def summed_breakdown(leaders: list[Leader], sums: dict[str, ItemSums], contracts: dict[str, list[Contract]],
                     targets: dict[str, float | None]) -> dict:
    """breakdown(p) of every chain from per-leader sums; `contracts`: each leader's contracted engagements
    with local suppliers on its items not served locally (what _local_contracts selects)."""
    figures = {l.id: _summed_leader(l, sums.get(l.id, ItemSums()), contracts.get(l.id, ())) for l in leaders}
    chains = {c: _sum("chain", c, [figures[l.id] for l in leaders if c in l.chain_ids], targets.get(c))
              for c in targets}
    return {"chains": chains, "leaders": figures, "all": _sum("all", None, [figures[l.id] for l in leaders])}


def _summed_leader(leader: Leader, sums: ItemSums, contracts) -> Figure:
    fig = Figure("leader", leader.id, total=sums.total, local_value=sums.local_value,
                 local_items=list(sums.local_items), potential_value=sums.potential_value,
                 potential_items=list(sums.potential_items))
    for c in contracts:
        fig.contracted_value += c.value
        fig.engagements.append(c.id)
    return _declared(fig, leader)


def scope_figure(p: Projection, chain_id: str | None = None, potential_ids: Iterable[str] = ()) -> Figure:
    """One chain's figure, or (chain_id None) all leaders of the projection together."""
    if chain_id:
        return chain_figure(p, chain_id, potential_ids)
    leaders = _leader_figures(p, potential_ids)
    return _sum("all", None, [leaders[l.id] for l in p.leaders])
