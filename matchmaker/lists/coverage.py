"""A chain's coverage per category and its (category, firm) pairs from the list index's columns
(graph.gaps and graph.resilience compute the same with scans of the categories' items: they stay the
reference and the fallback while the index builds).

Per category: distinct local and outside suppliers and supply items among published supply items;
published demand items, their value and the value served locally today. Columns are compared as
their 64-bit codes, so nothing here needs the graph.
"""
from __future__ import annotations

import numpy as np

from .columns import code, positions
from .select import Part, joined

_PUBLISHED = code("published")
_COUNTS = ("local_suppliers", "outside_suppliers", "supply_items", "demand_items", "demand_value", "served_locally")


def category_coverage(supply: list[Part], demand: list[Part], category_ids: list[str]) -> dict[str, dict]:
    """{category id: the six counts} for these categories (zeros for one with no items)."""
    codes = np.array([code(c) for c in category_ids], np.uint64)
    n = len(codes)
    category, firm, local = _published(supply, codes, ("category_id", "enterprise_id", "local"))
    at = positions(category, codes)
    counts = {"supply_items": np.bincount(at, minlength=n),
              "local_suppliers": _distinct_firms(at[local == 1], firm[local == 1], n),
              "outside_suppliers": _distinct_firms(at[local != 1], firm[local != 1], n)}
    category, value, served = _published(demand, codes, ("category_id", "value", "served"))
    at = positions(category, codes)
    value = np.where(value > 0, value, 0.0)
    counts.update(demand_items=np.bincount(at, minlength=n), demand_value=np.bincount(at, value, minlength=n),
                  served_locally=np.bincount(at, value * (served == 1), minlength=n))
    kinds = {name: float if name in ("demand_value", "served_locally") else int for name in _COUNTS}
    return {c: {name: kinds[name](counts[name][i]) for name in _COUNTS} for i, c in enumerate(category_ids)}


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
            chunk.append(part.take(name, np.flatnonzero(keep)))
    return tuple(joined(c) for c in chunks)


def _distinct_firms(at: np.ndarray, firm: np.ndarray, n: int) -> np.ndarray:
    """Per category position, how many distinct firms its rows have (one sort of the pairs: np.unique
    over stacked pairs sorted them as records, 0.85 s of the dashboard's 2.2 s at 1M items)."""
    if not len(at):
        return np.zeros(n, np.int64)
    order = np.lexsort((firm, at))
    at, firm = at[order], firm[order]
    first = np.ones(len(at), bool)
    first[1:] = (at[1:] != at[:-1]) | (firm[1:] != firm[:-1])
    return np.bincount(at[first], minlength=n)
