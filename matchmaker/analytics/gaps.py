"""A chain's gap map: each category's local coverage state, what is at stake, and the links.

Coverage counts distinct local firms offering published items in the category:
- gap: none (the chain needs the category, or a leader asks for it, and nobody here makes it);
- weak: exactly one (a single point of failure);
- covered: two or more.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from .localization import Figure

GAP, WEAK, COVERED = "gap", "weak", "covered"
STATES = (GAP, WEAK, COVERED)
STAGE_ORDER = {"upstream": 0, "midstream": 1, "downstream": 2}


def coverage_state(local_suppliers: int) -> str:
    if local_suppliers <= 0:
        return GAP
    return WEAK if local_suppliers == 1 else COVERED


@dataclass(frozen=True)
class GapNode:
    id: str
    name_zh: str
    name_en: str
    segment_id: str
    stage: str
    state: str
    local_suppliers: int
    outside_suppliers: int
    supply_items: int                 # published supply items in the category (any firm)
    demand_items: int
    demand_value: float
    served_locally: float | None      # B: value of the category's demand items served locally today
    contracted_locally: float | None  # C: value contracted with local suppliers on items not served locally
    rate_total: float | None          # T: value of the category's counted demand items (published and closed)
    rate: float | None                # (B + C) / T, the category rate of analytics.localization; None without T

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class GapMap:
    chain: dict                 # id, name_zh, name_en
    segments: list[dict]        # id, stage, name_zh, name_en, in upstream -> downstream order
    nodes: list[GapNode]        # in segment order, then the taxonomy's order
    edges: list[tuple[str, str]]

    def summary(self) -> dict:
        counts = {state: sum(1 for n in self.nodes if n.state == state) for state in STATES}
        at_stake = {state: sum(n.demand_value for n in self.nodes if n.state == state) for state in STATES}
        return {"categories": len(self.nodes), "counts": counts, "demand_value": at_stake}

    def as_dict(self) -> dict:
        return {"chain": self.chain, "segments": self.segments, "nodes": [n.as_dict() for n in self.nodes],
                "edges": [{"source": s, "target": t} for s, t in self.edges], "summary": self.summary()}


def build_gap_map(chain: dict, coverage: list[dict], figures: dict[str, Figure] | None = None) -> GapMap:
    """The map of `chain` (its segments and FEEDS edges, as graph.chains.get_chain gives them) from the
    per-category coverage rows (graph.gaps.coverage) and the category figures of the one localization
    module (analytics.localization.breakdown(...)["categories"]). A category without a figure (no demand
    from the chain's leaders), or every category when `figures` is None (the reader may not see rates),
    has no rate: the map never computes a rate of its own."""
    segments = sorted(chain.get("segments") or [], key=lambda s: STAGE_ORDER.get(s.get("stage"), 3))
    position = {s["id"]: i for i, s in enumerate(segments)}
    rows = sorted(coverage, key=lambda r: position.get(r.get("segment_id"), len(segments)))
    nodes = [_node(r, None if figures is None else figures.get(r["id"], _NO_DEMAND)) for r in rows]
    inside = {n.id for n in nodes}
    edges = [(f["source"], f["target"]) for f in chain.get("feeds") or []
             if f["source"] in inside and f["target"] in inside]
    head = {k: chain.get(k) for k in ("id", "name_zh", "name_en", "localization_target")}
    return GapMap(head, [{k: s.get(k) for k in ("id", "stage", "name_zh", "name_en")} for s in segments],
                  nodes, edges)


_NO_DEMAND = Figure("category", None)


def _node(row: dict, figure: Figure | None) -> GapNode:
    local = int(row.get("local_suppliers") or 0)
    parts = (figure.local_value, figure.contracted_value, figure.total, figure.rate) if figure else (None,) * 4
    return GapNode(row["id"], row.get("name_zh") or "", row.get("name_en") or "", row.get("segment_id") or "",
                   row.get("stage") or "", coverage_state(local), local, int(row.get("outside_suppliers") or 0),
                   int(row.get("supply_items") or 0), int(row.get("demand_items") or 0), float(row.get("demand_value") or 0), *parts)


TIER_LADDER = ("innovative", "srsn", "little_giant", "champion")  # the cultivation ladder, lowest first


def rank_cultivation(candidates: list[dict]) -> list[dict]:
    """Local SMEs next to a category, most promising first: a FEEDS neighbour before a sibling,
    then higher on the tier ladder, then by name."""
    def key(c: dict) -> tuple:
        tier = (c.get("enterprise") or {}).get("tier") or "none"
        rung = TIER_LADDER.index(tier) if tier in TIER_LADDER else -1
        return (-int(c.get("feeds") or 0), -rung, (c.get("enterprise") or {}).get("name") or "")
    return sorted(candidates, key=key)
