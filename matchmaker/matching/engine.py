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
from .search import Found, Part, parts_of, search_many
from .structured import TIER_RANK
from .taxonomy_match import CategoryMatcher

MAX_OFFERS = 50  # supply items of one SME used as queries for its opportunities
# Queries searched together: their cluster scans share reads (vector_index.nearest_many); each query's
# scanned rows are held until its candidates are chosen (about 70 KB per large segment).
BATCH = 200


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
        return self.item_fits_many(kind, [query], filters, [filters.exclude_enterprise])[0]

    def item_fits_many(self, kind: str, queries: list[dict], filters: Filters,
                       excluded: list[str | None]) -> list[list[ItemFit]]:
        """`item_fits` of each query, each leaving out the items of its `excluded` enterprise; the
        queries share one vector read and the index's cluster scans and column reads."""
        if len(queries) > BATCH:  # a batch's scans are held until its queries are chosen: bound them
            return [fits for start in range(0, len(queries), BATCH) for fits in self.item_fits_many(
                kind, queries[start:start + BATCH], filters, excluded[start:start + BATCH])]
        texts = [row_text(q) for q in queries]
        profiles = [profile(text, document=False) for text in texts]
        vectors = self.vectors.vectors(texts) if self.vectors is not None else None
        found = search_many(parts_of(self.readers[kind].view()), profiles, vectors, _allowed(filters))
        rows = _read_many(found, _READ)
        return [self._fits(q, qp, f, r, filters, excl)
                for q, qp, f, r, excl in zip(queries, profiles, found, rows, excluded)]

    def _fits(self, query: dict, qp, found: list[Found], rows: list[dict], filters: Filters,
              excluded: str | None) -> list[ItemFit]:
        keep = [i for i, row in enumerate(rows) if _passes(row, filters, excluded)]
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
        return self.suppliers_for_many([demand], filters, [feedback], limit, today)[0]

    def suppliers_for_many(self, demands: list[dict], filters: Filters,
                           feedback: list[dict[str, float] | None] | None = None, limit: int = 10,
                           today: date | None = None) -> list[list[Suggestion]]:
        """Suppliers for each demand item (a rematch, an agenda: many at once share the index's work);
        a demand's own enterprise never supplies it."""
        fits = self.item_fits_many("supply", demands, filters, [d.get("enterprise_id") for d in demands])
        return [rank_suppliers(_need(demand), item_fits, effects, today, limit)
                for demand, item_fits, effects in zip(demands, fits, feedback or [None] * len(demands))]

    def demands_for(self, offers: list[dict], filters: Filters) -> dict[str, tuple[ItemFit, dict]]:
        """Per demand item id: the best (fit of a demand to one offer, that offer)."""
        best: dict[str, tuple[ItemFit, dict]] = {}
        offers = offers[:MAX_OFFERS]
        for offer, fits in zip(offers, self.item_fits_many("demand", offers, filters,
                                                           [filters.exclude_enterprise] * len(offers))):
            for fit in fits:
                if fit.item_id not in best or fit.fit > best[fit.item_id][0].fit:
                    best[fit.item_id] = (fit, offer)
        return best


def _need(demand: dict) -> Need:
    return Need(demand["id"], demand.get("enterprise_id"), demand.get("quantity"), demand.get("unit"),
                list(demand.get("required_certifications") or []), demand.get("prefer_local") is not False)


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


def _read_many(found: list[list[Found]], names: tuple[str, ...]) -> list[list[dict]]:
    """`_read` of each query's candidates, in one read per part and column for them all."""
    rows = _read([f for candidates in found for f in candidates], names)
    ends = np.cumsum([len(candidates) for candidates in found]).tolist()
    return [rows[end - len(candidates):end] for candidates, end in zip(found, ends)]


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


def _passes(row: dict, filters: Filters, excluded: str | None) -> bool:
    if excluded and row["enterprise_id"] == excluded:
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
