"""A chain's local coverage per category from the list index's columns (graph.gaps computes the same
with a scan of the category's items: it stays the reference and the fallback while the index builds).

Per category: distinct local and outside suppliers and supply items among published supply items;
published demand items, their value and the value served locally today. Columns are compared as
their 64-bit codes, so nothing here needs the graph.
"""
from __future__ import annotations

import numpy as np

from .columns import code
from .select import Part

_PUBLISHED = code("published")
_COUNTS = ("local_suppliers", "outside_suppliers", "supply_items", "demand_items", "demand_value", "served_locally")


def category_coverage(supply: list[Part], demand: list[Part], category_ids: list[str]) -> dict[str, dict]:
    """{category id: the six counts} for these categories (zeros for one with no items)."""
    codes = np.array([code(c) for c in category_ids], np.uint64)
    out = {c: dict.fromkeys(_COUNTS, 0) for c in category_ids}
    category, firm, local = _published(supply, codes, ("category_id", "enterprise_id", "local"))
    for c, n in _per_category(category, codes, np.ones(len(category))).items():
        out[category_ids[c]]["supply_items"] = int(n)
    for name, mask in (("local_suppliers", local == 1), ("outside_suppliers", local != 1)):
        pairs = np.unique(np.stack([category[mask], firm[mask]]), axis=1) if mask.any() else np.zeros((2, 0), np.uint64)
        for c, n in _per_category(pairs[0], codes, np.ones(pairs.shape[1])).items():
            out[category_ids[c]][name] = int(n)
    category, value, served = _published(demand, codes, ("category_id", "value", "served"))
    value = np.where(value > 0, value, 0.0)
    for name, weights in (("demand_items", np.ones(len(category))), ("demand_value", value),
                          ("served_locally", value * (served == 1))):
        for c, total in _per_category(category, codes, weights).items():
            out[category_ids[c]][name] = int(total) if name == "demand_items" else float(total)
    return out


def _published(parts: list[Part], codes: np.ndarray, names: tuple[str, ...]) -> tuple[np.ndarray, ...]:
    """These columns of the live, published rows in the categories, all parts end to end."""
    chunks: list[list[np.ndarray]] = [[] for _ in names]
    for part in parts:
        keep = part.live & (np.asarray(part.columns["status"]) == _PUBLISHED) \
            & np.isin(np.asarray(part.columns["category_id"]), codes)
        for chunk, name in zip(chunks, names):
            chunk.append(np.asarray(part.columns[name])[keep])
    return tuple(np.concatenate(c) if c else np.zeros(0) for c in chunks)


def _per_category(category: np.ndarray, codes: np.ndarray, weights: np.ndarray) -> dict[int, float]:
    """{position of the category in `codes`: sum of weights}."""
    order = np.argsort(codes)
    at = order[np.searchsorted(codes[order], category)] if len(category) else np.zeros(0, np.int64)
    sums = np.bincount(at, weights=weights, minlength=len(codes))
    return {i: sums[i] for i in range(len(codes)) if sums[i]}
