"""The matching engine: candidates from the shared index, re-ranked, then ranked with the structured parts.

Suppliers for a demand item search the supply index with the demand's text;
opportunities for an SME search the demand index with each of its supply items'
texts and keep, per demand item, the SME's best fitting item.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from .columns import TIERS, row_text, split, text_profile_of, values_at
from .features import CandidateEvidence, feature_matrix
from .profile import profile
from .ranking import ItemFit, Need, Suggestion, rank_suppliers
from .reranker import Reranker
from .search import Found, Part, parts_of, search
from .structured import TIER_RANK
from .taxonomy_match import CategoryMatcher

MAX_OFFERS = 50  # supply items of one SME used as queries for its opportunities


@dataclass
class Filters:
    local_only: bool = False
    tier: str | None = None
    certification: str | None = None
    exclude_enterprise: str | None = None


class MatchEngine:
    def __init__(self, readers: dict, vectors, reranker: Reranker, categories: CategoryMatcher):
        self.readers, self.vectors, self.reranker, self.categories = readers, vectors, reranker, categories

    def item_fits(self, kind: str, query: dict, filters: Filters) -> list[ItemFit]:
        """Items of `kind` fitting the query item's text and category, with their evidence."""
        text = row_text(query)
        qp = profile(text, document=False)
        qv = self.vectors.vectors([text])[0].astype(np.float32) if self.vectors is not None else None
        found = search(parts_of(self.readers[kind].view()), qp, qv, _allowed(filters))
        rows = _read(found, _READ)
        keep = [i for i, row in enumerate(rows) if _passes(row, filters)]
        if not keep:
            return []
        found, rows = [found[i] for i in keep], [rows[i] for i in keep]
        category = query.get("category_id") or self.categories.infer(qp.text)
        row_categories = [row["category_id"] or None for row in rows]
        evidence = CandidateEvidence(
            np.array([f.lexical for f in found]), np.array([f.semantic for f in found]),
            [text_profile_of(r["text"], r["codes"], r["concepts"], r["broader"], r["script"]) for r in rows],
            np.array([self.categories.proximity(category, c) for c in row_categories]),
            np.array([1.0 if category and c else 0.0 for c in row_categories]))
        fits = self.reranker.fit_probability(feature_matrix(qp, evidence))
        return [_item_fit(f, row, float(p), self.categories.relation(category, c))
                for f, row, p, c in zip(found, rows, fits, row_categories)]

    def suppliers_for(self, demand: dict, filters: Filters, feedback: dict[str, float] | None = None,
                      limit: int = 10, today: date | None = None) -> list[Suggestion]:
        filters.exclude_enterprise = demand.get("enterprise_id")
        fits = self.item_fits("supply", demand, filters)
        need = Need(demand["id"], demand.get("enterprise_id"), demand.get("quantity"), demand.get("unit"),
                    list(demand.get("required_certifications") or []), demand.get("prefer_local") is not False)
        return rank_suppliers(need, fits, feedback, today, limit)

    def demands_for(self, offers: list[dict], filters: Filters) -> dict[str, tuple[ItemFit, dict]]:
        """Per demand item id: the best (fit of a demand to one offer, that offer)."""
        best: dict[str, tuple[ItemFit, dict]] = {}
        for offer in offers[:MAX_OFFERS]:
            for fit in self.item_fits("demand", offer, filters):
                if fit.item_id not in best or fit.fit > best[fit.item_id][0].fit:
                    best[fit.item_id] = (fit, offer)
        return best


def _allowed(filters: Filters):
    """The rows a part may offer under the filters; None when no filter limits them (no mask to build)."""
    if not (filters.local_only or filters.tier):
        return None

    def mask(part: Part) -> np.ndarray:
        keep = np.ones(len(part.live), dtype=bool)
        if filters.local_only:
            keep &= np.asarray(part["local"]) == 1
        if filters.tier:
            keep &= np.asarray(part["tier"]) == TIER_RANK.get(filters.tier, -1)
        return keep
    return mask


# Columns newer than some segments: until the rebuild a schema change starts has published (minutes at a
# million items), an older segment reads as this, so matching degrades a little instead of failing.
_ADDED_LATER = {"text": ""}

# The columns a candidate's fit reads, fetched per part in one read each (not per row).
_READ = ("id", "enterprise_id", "category_id", "certs", "text", "codes", "concepts", "broader", "script",
         "amount", "unit", "local", "tier")


def _read(found: list[Found], names: tuple[str, ...]) -> list[dict]:
    """Each candidate's columns, in the order of `found`."""
    out: list[dict] = [{} for _ in found]
    groups: dict[int, tuple] = {}
    for i, f in enumerate(found):
        groups.setdefault(id(f.part), (f.part, [], []))
        groups[id(f.part)][1].append(i)
        groups[id(f.part)][2].append(f.row)
    for part, positions, rows in groups.values():
        for name in names:
            values = values_at(part[name], rows) if part.has(name) else [_ADDED_LATER[name]] * len(rows)
            for i, value in zip(positions, values):
                out[i][name] = value
    return out


def _passes(row: dict, filters: Filters) -> bool:
    if filters.exclude_enterprise and row["enterprise_id"] == filters.exclude_enterprise:
        return False
    if filters.certification:
        held = {c.split("@", 1)[0].upper() for c in split(row["certs"])}
        return filters.certification.upper() in held
    return True


def _item_fit(found: Found, row: dict, fit: float, relation: str) -> ItemFit:
    amount = float(row["amount"])
    return ItemFit(row["id"], row["enterprise_id"], fit, found.lexical, found.semantic, relation,
                   split(row["certs"]), None if np.isnan(amount) else amount, row["unit"] or None,
                   bool(row["local"]), TIERS.get(int(row["tier"]), "none"))
