"""The order of a list query's matching rows, across segments and the delta.

Numbers sort with one stable argsort. Names sort in three steps so that a page costs
about one argsort of integers: the 8-byte heads order every row; the run of rows
whose head ties with the page's first or last is re-sorted by the 24-byte keys, and
the rows tied on those by their whole names.
"""
from __future__ import annotations

import numpy as np

_DESCENDING = {"recent": "updated", "value": "value", "capacity": "capacity"}
SORTS = (*_DESCENDING, "deadline", "name")


def sort_order(found: list[tuple], where: np.ndarray, rows: np.ndarray, sort: str, start: int,
            end: int) -> np.ndarray:
    """Positions (into the concatenated rows) in sort order; exact at least over [start, end)."""
    if sort in _DESCENDING:
        return np.argsort(_concat(found, _DESCENDING[sort], negate=True), kind="stable")
    if sort == "deadline":
        return np.argsort(_concat(found, "deadline"), kind="stable")
    head = _concat(found, "name_head")
    order = np.argsort(head, kind="stable")
    low, high = _tied(head[order], start, end)
    window = order[low:high]
    keys = _gather(found, where, rows, window, "name_key")
    keys = keys.view(f"S{keys.shape[1]}").ravel()
    by_key = np.argsort(keys, kind="stable")
    window, keys = window[by_key], keys[by_key]
    a, b = _tied(keys, start - low, end - low)  # [low, high) holds the page
    names = np.array(_gather(found, where, rows, window[a:b], "name"), dtype=object)
    window[a:b] = window[a:b][np.argsort(names, kind="stable")]
    order[low:high] = window
    return order


def _concat(found: list[tuple], column: str, negate: bool = False) -> np.ndarray:
    values = np.concatenate([np.asarray(p.columns[column])[r] for p, r in found])
    return -values if negate else values


def _tied(ordered: np.ndarray, start: int, end: int) -> tuple[int, int]:
    """The run of sorted keys from the first equal to key[start] to the last equal to key[end - 1]."""
    return (int(np.searchsorted(ordered, ordered[start], side="left")),
            int(np.searchsorted(ordered, ordered[end - 1], side="right")))


def _gather(found, where: np.ndarray, rows: np.ndarray, positions: np.ndarray, column: str):
    """The `column` values at these positions (into the concatenated rows), in their order."""
    values: list | np.ndarray | None = None
    for i, (part, _) in enumerate(found):
        mine = np.flatnonzero(where[positions] == i)
        if not len(mine):
            continue
        source, picked = part.columns[column], rows[positions[mine]]
        if isinstance(source, np.ndarray):
            values = np.zeros((len(positions), *source.shape[1:]), source.dtype) if values is None else values
            values[mine] = source[picked]
        else:
            values = [""] * len(positions) if values is None else values
            got = [source[r] for r in picked] if isinstance(source, list) else source.take(picked)
            for at, value in zip(mine.tolist(), got):
                values[at] = value
    return values if values is not None else []
