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
from .sorting import SORTS, sort_order
from .text import rows_certified, rows_containing

_IN = {"statuses": "status", "chain_ids": "chain_id", "category_ids": "category_id"}


@dataclass(frozen=True)
class Part:
    columns: object          # a Segment or the delta's encoded columns (a dict)
    live: np.ndarray         # bool per row
    ids: object              # a StringColumn or a list of str

    def take_ids(self, rows: np.ndarray) -> list[str]:
        return [self.ids[r] for r in rows] if isinstance(self.ids, list) else self.ids.take(rows)

    def take(self, name: str, rows: np.ndarray):
        """These rows of a column: an array for a numeric one, a list for a string one (mapped or the delta's)."""
        column = self.columns[name]
        return [column[r] for r in rows] if isinstance(column, list) else column.take(rows)


def joined(chunks: list):
    """Parts' pieces of one column end to end (arrays, or lists for a string column)."""
    if chunks and isinstance(chunks[0], list):
        return [value for chunk in chunks for value in chunk]
    return np.concatenate(chunks) if chunks else np.zeros(0)


def parts_of(view: View) -> list[Part]:
    parts = [Part(segment, view.live_mask(i), segment["id"]) for i, segment in enumerate(view.segments)]
    delta = view.delta_columns()
    if delta:
        rows = view.delta_rows()
        # A segment's system column `seq` (each row's change number), for the delta's rows too.
        seqs = np.array([int(r["seq"]) for r in rows], np.int64)
        parts.append(Part({**delta, "seq": seqs}, np.ones(len(rows), bool), [r["id"] for r in rows]))
    return parts


def search(parts: list[Part], query: ItemQuery) -> tuple[list[str], int]:
    """(ids of the page's items in order, total matching)."""
    if query.sort not in SORTS:
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
    order = sort_order(found, where, rows, query.sort, query.skip, end)
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
