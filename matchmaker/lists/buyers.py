"""What the localization rates read of buyers' demand items, from the list index's columns
(graph.localization and graph.dashboard read the same from the graph: the reference, and the
fallback while the index builds).

`items_of` gives each live demand item of some buyers with the fields a rate needs (its coded
chain, segment, category and status, value, served flag, change number); `totals_of` sums per
buyer what the dashboard needs (value of the counted items, and of those served locally).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .columns import code
from .select import Part, joined

COUNTED = ("published", "closed")    # matchmaker.analytics.localization.COUNTED: drafts do not count
FIELDS = ("status", "chain_id", "segment_id", "category_id", "value", "served", "seq")


@dataclass(frozen=True)
class BuyerItems:
    ids: list[str]
    buyers: list[str]
    columns: dict            # FIELDS -> array, one entry per item

    def value(self) -> np.ndarray:
        """Values with none (stored as -1) read as 0, as the graph's projection reads them."""
        return np.where(self.columns["value"] > 0, self.columns["value"], 0.0)


def items_of(parts: list[Part], buyer_ids) -> BuyerItems:
    """Every live demand item (any status) whose buyer is one of `buyer_ids`."""
    codes = np.array([code(b) for b in buyer_ids], np.uint64)
    ids, buyers, chunks = [], [], {name: [] for name in FIELDS}
    for part in parts:
        rows = np.flatnonzero(part.live & np.isin(np.asarray(part.columns["enterprise_id"]), codes))
        ids += part.take_ids(rows)
        buyers += part.take("enterprise", rows)
        for name in FIELDS:
            chunks[name].append(part.take(name, rows))
    return BuyerItems(ids, buyers, {name: joined(chunk) for name, chunk in chunks.items()})


def totals_of(parts: list[Part], buyer_ids: list[str]) -> dict[str, tuple[float, float]]:
    """{buyer: (value of its counted items, value of those served locally today)}; (0, 0) for none."""
    codes = np.array([code(b) for b in buyer_ids], np.uint64)
    order = np.argsort(codes)
    counted = np.array([code(s) for s in COUNTED], np.uint64)
    total, local = np.zeros(len(codes)), np.zeros(len(codes))
    for part in parts:
        columns = part.columns
        keep = part.live & np.isin(np.asarray(columns["status"]), counted)
        buyer = np.asarray(columns["enterprise_id"])[keep]
        mine = np.isin(buyer, codes)
        at = order[np.searchsorted(codes[order], buyer[mine])]
        value = np.asarray(columns["value"])[keep][mine]
        value = np.where(value > 0, value, 0.0)
        total += np.bincount(at, weights=value, minlength=len(codes))
        local += np.bincount(at, weights=value * (np.asarray(columns["served"])[keep][mine] == 1),
                             minlength=len(codes))
    return {b: (float(total[i]), float(local[i])) for i, b in enumerate(buyer_ids)}
