"""What the localization rates read of buyers' demand items, from the list index's columns
(graph.localization and graph.dashboard read the same from the graph: the reference, and the
fallback while the index builds).

`items_of` gives each live demand item of some buyers with the fields a rate needs (its coded
chain, segment, category and status, value, served flag, change number); `totals_of` sums per
buyer what the dashboard needs (value of the counted items, and of those served locally); `sums_of`
sums per buyer what every chain's rates need, the potential included, without a line per item.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..analytics.localization import COUNTED, verdict_is_current
from ..index.hashing import hash64, hashes
from .columns import code, positions
from .select import Part, joined

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
    counted = np.array([code(s) for s in COUNTED], np.uint64)
    total, local = np.zeros(len(codes)), np.zeros(len(codes))
    for part in parts:
        columns = part.columns
        keep = part.live & np.isin(np.asarray(columns["status"]), counted)
        buyer = np.asarray(columns["enterprise_id"])[keep]
        mine = np.isin(buyer, codes)
        at = positions(buyer[mine], codes)
        value = np.asarray(columns["value"])[keep][mine]
        value = np.where(value > 0, value, 0.0)
        total += np.bincount(at, weights=value, minlength=len(codes))
        local += np.bincount(at, weights=value * (np.asarray(columns["served"])[keep][mine] == 1),
                             minlength=len(codes))
    return {b: (float(total[i]), float(local[i])) for i, b in enumerate(buyer_ids)}


@dataclass
class BuyerSums:
    """Per buyer (in the order asked): counted value, value served locally and those items' ids, and the
    potential's value and ids."""
    total: np.ndarray
    local: np.ndarray
    local_ids: list[list[str]]
    potential: np.ndarray
    potential_ids: list[list[str]]


def sums_of(parts: list[Part], buyer_ids: list[str], verdicts: dict[str, int], contracted: set[str]) -> BuyerSums:
    """Each buyer's demand items summed. The potential: open items not served locally, not in `contracted`,
    whose id has a local-fit verdict in `verdicts` ({id: change number it was checked at}) taken after the
    item's last change."""
    codes = np.array([code(b) for b in buyer_ids], np.uint64)
    n, counted = len(codes), np.array([code(s) for s in COUNTED], np.uint64)
    fits = _Fits(verdicts, contracted)
    out = BuyerSums(np.zeros(n), np.zeros(n), [[] for _ in range(n)], np.zeros(n), [[] for _ in range(n)])
    for part in parts:
        columns = part.columns
        rows = np.flatnonzero(part.live & np.isin(np.asarray(columns["enterprise_id"]), codes))
        at = positions(np.asarray(columns["enterprise_id"])[rows], codes)
        status, served = np.asarray(columns["status"])[rows], np.asarray(columns["served"])[rows] == 1
        value = np.asarray(columns["value"])[rows]
        value = np.where(value > 0, value, 0.0)
        kept = np.isin(status, counted)
        out.total += np.bincount(at[kept], value[kept], minlength=n)
        local = kept & served
        out.local += np.bincount(at[local], value[local], minlength=n)
        _collect(out.local_ids, at[local], part.take_ids(rows[local]))
        found, ids = fits.rows(part, rows, (status == np.uint64(code("published"))) & ~served)
        out.potential += np.bincount(at[found], value[found], minlength=n)
        _collect(out.potential_ids, at[found], ids)
    return out


class _Fits:
    """The local-fit verdicts matched to a part's rows by the hash of their ids (the id column's index)."""

    def __init__(self, verdicts: dict[str, int], contracted: set[str]) -> None:
        keyed = sorted((hash64(i), seq) for i, seq in verdicts.items())
        self.verdicts = verdicts
        self.keys = np.array([k for k, _ in keyed], np.uint64)
        self.seqs = np.array([s for _, s in keyed], np.int64)
        self.excluded = np.array([hash64(i) for i in contracted], np.uint64)

    def rows(self, part: Part, rows: np.ndarray, open_rows: np.ndarray) -> tuple[np.ndarray, list[str]]:
        """(positions in `rows` of the open rows with a verdict taken after their last change, their ids)."""
        if not self.keys.size:
            return np.zeros(0, np.int64), []
        keys = _id_keys(part)[rows]
        at = np.minimum(np.searchsorted(self.keys, keys), self.keys.size - 1)
        hit = open_rows & (self.keys[at] == keys) & ~np.isin(keys, self.excluded)
        hit &= verdict_is_current(self.seqs[at], np.asarray(part.columns["seq"])[rows])
        candidates = np.flatnonzero(hit)
        ids = part.take_ids(rows[candidates])
        sure = [i in self.verdicts for i in ids]  # a 64-bit hash could collide: the ids decide
        return candidates[np.array(sure, bool)], [i for i, ok in zip(ids, sure) if ok]


def _id_keys(part: Part) -> np.ndarray:
    """hash64 of each row's id: a segment's id column has them in its hash index; the delta computes them."""
    return hashes(part.ids) if isinstance(part.ids, list) else part.ids.row_keys()


def _collect(lists: list[list[str]], at: np.ndarray, ids: list[str]) -> None:
    for position, item_id in zip(at.tolist(), ids):
        lists[position].append(item_id)
