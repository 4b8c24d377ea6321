"""A list query over one view of the list index: filter, search, sort and cut a page.

A view is the mapped segments (each with its live rows) plus this process's delta of newer
rows; each is a `Part`, and the matching rows of all parts are sorted together.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graph.item_search import ItemQuery, word_groups

from ..index import View
from .columns import CODED, code, date_number
from .text import rows_certified, rows_containing

_IN = {"statuses": "status", "chain_ids": "chain_id", "category_ids": "category_id"}
_DESCENDING = {"recent": "updated", "value": "value", "capacity": "capacity"}


@dataclass(frozen=True)
class Part:
    columns: object          # a Segment or the delta's encoded columns (a dict)
    live: np.ndarray         # bool per row
    ids: object              # a StringColumn or a list of str

    def take_ids(self, rows: np.ndarray) -> list[str]:
        return [self.ids[r] for r in rows] if isinstance(self.ids, list) else self.ids.take(rows)


def parts_of(view: View) -> list[Part]:
    parts = [Part(segment, view.live_mask(i), segment["id"]) for i, segment in enumerate(view.segments)]
    delta = view.delta_columns()
    if delta:
        ids = [r["id"] for r in view.delta_rows()]
        parts.append(Part(delta, np.ones(len(ids), bool), ids))
    return parts


def search(parts: list[Part], query: ItemQuery) -> tuple[list[str], int]:
    """(ids of the page's items in order, total matching)."""
    if query.sort not in (*_DESCENDING, "deadline", "name"):
        raise ValueError(f"unknown sort {query.sort!r}")
    today = date_number(query.today, 0)
    words = word_groups(query)
    found = [(p, matching(p, query.filters, words, today)) for p in parts]
    total = sum(len(rows) for _, rows in found)
    end = min(query.skip + query.limit, total)
    if query.skip >= end:
        return [], total
    where = np.concatenate([np.full(len(rows), i) for i, (_, rows) in enumerate(found)])
    rows = np.concatenate([rows for _, rows in found])
    order = _sorted(found, where, rows, query.sort, query.skip, end)
    page = order[query.skip:end]
    ids: list[str] = []
    for at in page:  # at most `limit` lookups
        ids.extend(found[where[at]][0].take_ids(rows[at:at + 1]))
    return ids, total


def matching(part: Part, filters: dict, words: list[list[str]], today: int) -> np.ndarray:
    """The part's live rows that pass every filter and contain one form of every word."""
    mask = part.live.copy()
    for name, value in filters.items():
        mask &= _filter(part, name, value, today)
    rows = np.flatnonzero(mask)
    for alternatives in words:
        hits = [rows_containing(part.columns["search"], rows, w) for w in alternatives]
        rows = hits[0] if len(hits) == 1 else np.unique(np.concatenate(hits))
    return rows


def _filter(part: Part, name: str, value, today: int) -> np.ndarray:
    columns = part.columns
    if name in CODED:
        return (np.asarray(columns[name]) == code(value)) & (value is not None)
    if name in _IN:
        return np.isin(np.asarray(columns[_IN[name]]), [code(v) for v in value if v is not None])
    if name == "local":
        return np.asarray(columns["local"]) == int(bool(value))
    if name == "certification":
        mask = np.zeros(len(part.live), bool)
        mask[rows_certified(columns["certs"], str(value).strip().upper(), today)] = True
        return mask
    raise ValueError(f"unknown filter {name!r}")


def _sorted(found: list[tuple[Part, np.ndarray]], where: np.ndarray, rows: np.ndarray, sort: str, start: int,
            end: int) -> np.ndarray:
    """Positions (into the concatenated rows) in sort order; exact at least over [start, end)."""
    if sort in _DESCENDING:
        return np.argsort(_concat(found, _DESCENDING[sort], negate=True), kind="stable")
    if sort == "deadline":
        return np.argsort(_concat(found, "deadline"), kind="stable")
    # By name: the 8-byte heads sort every row; ties at the page's bounds are settled by the
    # 24-byte keys, and ties of those by the whole names: only a few rows ever get past the heads.
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


def _concat(found: list[tuple[Part, np.ndarray]], column: str, negate: bool = False) -> np.ndarray:
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
