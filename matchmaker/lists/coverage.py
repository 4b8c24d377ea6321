"""A chain's coverage per category and its (category, firm) pairs from the list index's columns
(graph.gaps and graph.resilience compute the same with scans of the categories' items: they stay the
reference and the fallback while the index builds).

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


def category_pairs(supply: list[Part], demand: list[Part], category_ids: list[str]) -> tuple[list, list]:
    """What a chain's resilience is built from (graph.resilience's projection): (category, firm, local) per
    firm offering published items in a category, and (category, buyer, value) per buyer with published
    demand there, its values summed."""
    ids = {code(c): c for c in category_ids}
    codes = np.array(list(ids), np.uint64)
    offers: dict[tuple[str, str], bool] = {}
    for category, firm, local in zip(*_published(supply, codes, ("category_id", "enterprise", "local"))):
        key = (ids[int(category)], firm)
        offers[key] = offers.get(key, False) or local == 1
    asks: dict[tuple[str, str], float] = {}
    for category, buyer, value in zip(*_published(demand, codes, ("category_id", "enterprise", "value"))):
        key = (ids[int(category)], buyer)
        asks[key] = asks.get(key, 0.0) + max(float(value), 0.0)
    return ([(k, f, local) for (k, f), local in offers.items()], [(k, b, v) for (k, b), v in asks.items()])


def _published(parts: list[Part], codes: np.ndarray, names: tuple[str, ...]) -> tuple[np.ndarray, ...]:
    """These columns of the live, published rows in the categories, all parts end to end."""
    chunks: list[list] = [[] for _ in names]
    for part in parts:
        keep = part.live & (np.asarray(part.columns["status"]) == _PUBLISHED) \
            & np.isin(np.asarray(part.columns["category_id"]), codes)
        for chunk, name in zip(chunks, names):
            chunk.append(_take(part.columns[name], np.flatnonzero(keep)))
    return tuple(_joined(c) for c in chunks)


def _take(column, rows: np.ndarray):
    """These rows of a numeric column (an array) or a string column (mapped, or the delta's list)."""
    return [column[r] for r in rows] if isinstance(column, list) else column.take(rows)


def _joined(chunks: list):
    if chunks and isinstance(chunks[0], list):
        return [value for chunk in chunks for value in chunk]
    return np.concatenate(chunks) if chunks else np.zeros(0)


def _per_category(category: np.ndarray, codes: np.ndarray, weights: np.ndarray) -> dict[int, float]:
    """{position of the category in `codes`: sum of weights}."""
    order = np.argsort(codes)
    at = order[np.searchsorted(codes[order], category)] if len(category) else np.zeros(0, np.int64)
    sums = np.bincount(at, weights=weights, minlength=len(codes))
    return {i: sums[i] for i in range(len(codes)) if sums[i]}
