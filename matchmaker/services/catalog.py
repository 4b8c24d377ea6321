"""In-memory catalog of the items' list fields: filters, text queries and sorts at list speed.

The graph answers a filtered, sorted page by scanning every item of the label (no
index serves ORDER BY or CONTAINS there): about a second per page at a million items.
So each process keeps, per kind, the fields lists filter and sort on, in numpy
columns, and the lower-cased search text of all items in one string that a regular
expression scans in tens of milliseconds.

Freshness: every write that changes an item's list fields stamps the item with a
change number allocated inside its own transaction, in commit order (graph.changes).
Before every query the catalog reads the items numbered above the last number it saw
(an indexed range on seq): no clock and no margin, so a write that commits late is
seen as soon as it commits. A bulk delete bumps the catalog generation in the graph,
and the catalog rebuilds. The graph stays the only store: a page's items are read from
it by id.
"""
from __future__ import annotations

import logging
import re
import threading
import weakref
from datetime import datetime
from typing import Iterable

import numpy as np

from graph import item_feed
from graph.db import GraphDB
from graph.item_search import ItemQuery, word_groups

log = logging.getLogger(__name__)
_CODED = ("status", "chain_id", "segment_id", "category_id", "enterprise_id", "tier")
_NO_EXPIRY = 99_999_999
_NO_DEADLINE = 99_991_231
_DESCENDING = {"recent": "updated", "value": "value", "capacity": "capacity"}


class _Vocab:
    """Strings to small integer codes, so a column compares as integers."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}

    def code(self, value: str | None) -> int:
        if value is None:
            return -1
        return self.codes.setdefault(value, len(self.codes))

    def find(self, value) -> int:
        return self.codes.get(value, -2) if value is not None else -2


class _Table:
    """The list fields of one kind's items; rows are appended, never removed."""

    def __init__(self, capacity: int = 1024) -> None:
        self.n = 0
        self.ids: list[str] = []
        self.row_of: dict[str, int] = {}
        self.names: list[str] = []
        self.vocab = {name: _Vocab() for name in (*_CODED, "cert")}
        self.codes = {name: np.full(capacity, -1, np.int32) for name in _CODED}
        self.local = np.full(capacity, -1, np.int8)
        self.number = {name: np.full(capacity, -1.0) for name in ("updated", "value", "capacity")}
        self.deadline = np.full(capacity, _NO_DEADLINE, np.int32)
        # Certifications (item's and enterprise's), one entry per certification.
        self.cert_row: list[int] = []
        self.cert_name: list[int] = []
        self.cert_until: list[int] = []
        self.cert_live: list[bool] = []
        self.certs_of: dict[int, list[int]] = {}
        self._cert_arrays: tuple | None = None
        # Search text: rows below text_rows live in one string at offsets; the rest,
        # and rows changed since, in `override`.
        self.text = ""
        self.offsets = np.zeros(1, np.int64)
        self.text_rows = 0
        self.override: dict[int, str] = {}
        self._name_rank: np.ndarray | None = None
        self._times: dict[str, float] = {}

    # -- writing -------------------------------------------------------------------
    def upsert(self, item: dict) -> None:
        row = self.row_of.get(item["id"])
        if row is None:
            row = self._append(item["id"])
        for name in _CODED:
            self.codes[name][row] = self.vocab[name].code(item.get(name))
        local = item.get("local")
        self.local[row] = -1 if local is None else int(bool(local))
        self.number["updated"][row] = self._time(item.get("updated_at"))
        for name in ("value", "capacity"):
            self.number[name][row] = -1.0 if item.get(name) is None else float(item[name])
        self.deadline[row] = _date_number(item.get("deadline"), _NO_DEADLINE)
        if self.names[row] != (item.get("name") or ""):
            self.names[row] = item.get("name") or ""
            self._name_rank = None
        self._set_certs(row, [*(item.get("certifications") or []), *(item.get("enterprise_certifications") or [])])
        self.override[row] = item.get("search") or ""

    def _append(self, item_id: str) -> int:
        row = self.n
        if row == len(self.local):
            self._grow()
        self.ids.append(item_id)
        self.names.append("")
        self.row_of[item_id] = row
        self.n += 1
        return row

    def _grow(self) -> None:
        size = 2 * len(self.local)
        for name, column in self.codes.items():
            self.codes[name] = _resized(column, size, -1)
        for name, column in self.number.items():
            self.number[name] = _resized(column, size, -1.0)
        self.local = _resized(self.local, size, -1)
        self.deadline = _resized(self.deadline, size, _NO_DEADLINE)

    def _time(self, stamp: str | None) -> float:
        if not stamp:
            return 0.0
        value = self._times.get(stamp)
        if value is None:  # bulk loads share stamps: parse each once
            value = self._times[stamp] = datetime.fromisoformat(stamp).timestamp()
        return value

    def _set_certs(self, row: int, certs: list[str]) -> None:
        for entry in self.certs_of.pop(row, ()):
            self.cert_live[entry] = False
        entries = []
        for cert in certs:
            name, _, until = str(cert).partition("@")
            entries.append(len(self.cert_row))
            self.cert_row.append(row)
            self.cert_name.append(self.vocab["cert"].code(name.strip().upper()))
            self.cert_until.append(_date_number(until, _NO_EXPIRY) if until else _NO_EXPIRY)
            self.cert_live.append(True)
        if entries:
            self.certs_of[row] = entries
        self._cert_arrays = None

    def compact_text(self) -> None:
        """Fold the changed rows' text back into the one string (after many changes)."""
        texts = [self.text_of(row) for row in range(self.n)]
        lengths = np.fromiter((len(t) + 1 for t in texts), np.int64, count=len(texts))
        self.offsets = np.concatenate(([0], np.cumsum(lengths)))
        self.text = "\n".join(texts)
        self.text_rows = self.n
        self.override = {}

    def text_of(self, row: int) -> str:
        if row in self.override:
            return self.override[row]
        return self.text[self.offsets[row]:self.offsets[row + 1] - 1]

    # -- reading -------------------------------------------------------------------
    def matching(self, filters: dict, words: list[list[str]], today: str) -> np.ndarray:
        """Row numbers of the items that pass every filter and contain every word (one of its alternatives)."""
        mask = np.ones(self.n, bool)
        for name, value in filters.items():
            mask &= self._filter(name, value, today)
        rows = np.flatnonzero(mask)
        for alternatives in words:
            found = [self._containing(rows, w) for w in alternatives]
            rows = found[0] if len(found) == 1 else np.unique(np.concatenate(found))
        return rows

    def _filter(self, name: str, value, today: str) -> np.ndarray:
        n = self.n
        if name in _CODED:
            return self.codes[name][:n] == self.vocab[name].find(value)
        if name in ("statuses", "chain_ids", "category_ids"):
            column = {"statuses": "status", "chain_ids": "chain_id", "category_ids": "category_id"}[name]
            return np.isin(self.codes[column][:n], [self.vocab[column].find(v) for v in value])
        if name == "local":
            return self.local[:n] == int(bool(value))
        if name == "certification":
            return self._certified(str(value).strip().upper(), _date_number(today, 0))
        raise ValueError(f"unknown filter {name!r}")

    def _certified(self, name: str, today: int) -> np.ndarray:
        if self._cert_arrays is None:
            self._cert_arrays = (np.array(self.cert_row, np.int64), np.array(self.cert_name, np.int32),
                                 np.array(self.cert_until, np.int32), np.array(self.cert_live, bool))
        rows, names, until, live = self._cert_arrays
        mask = np.zeros(self.n, bool)
        mask[rows[live & (names == self.vocab["cert"].find(name)) & (until >= today)]] = True
        return mask

    def _containing(self, rows: np.ndarray, word: str) -> np.ndarray:
        if len(rows) <= 5000:  # few candidates: test each one's text
            return np.array([r for r in rows if word in self.text_of(r)], np.int64)
        hit = np.zeros(self.n, bool)
        if self.text_rows:
            starts = np.fromiter((m.start() for m in re.finditer(re.escape(word), self.text)), np.int64)
            hit[np.searchsorted(self.offsets, starts, side="right") - 1] = True
        for row, text in self.override.items():
            hit[row] = word in text
        return rows[hit[rows]]

    def sort_key(self, sort: str, rows: np.ndarray) -> np.ndarray:
        """Ascending key of these rows; ties keep row order (the order items were first seen)."""
        if sort in _DESCENDING:
            return -self.number[_DESCENDING[sort]][rows]
        if sort == "deadline":
            return self.deadline[rows]
        if sort == "name":
            if self._name_rank is None or len(self._name_rank) != self.n:
                order = sorted(range(self.n), key=self.names.__getitem__)
                self._name_rank = np.empty(self.n, np.int64)
                self._name_rank[order] = np.arange(self.n)
            return self._name_rank[rows]
        raise ValueError(f"unknown sort {sort!r}")


class ItemCatalog:
    """One kind's catalog in this process, kept current from the graph."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._table: _Table | None = None
        self._generation: int | None = None
        self._seen = 0  # the newest change number this catalog has applied
        self._lock = threading.Lock()

    def search(self, db: GraphDB, query: ItemQuery) -> tuple[list[str], int]:
        """(ids of the page's items in order, total matching)."""
        with self._lock:
            table = self._current(db)
            rows = table.matching(query.filters, word_groups(query), query.today)
            key = table.sort_key(query.sort, rows)
            page = rows[np.argsort(key, kind="stable")[query.skip:query.skip + query.limit]]
            return [table.ids[r] for r in page], len(rows)

    def count_by(self, db: GraphDB, field: str) -> dict[str, int]:
        """{value of a coded field: number of items with it}, over every status."""
        with self._lock:
            table = self._current(db)
            codes = table.codes[field][:table.n]
            counts = np.bincount(codes[codes >= 0], minlength=len(table.vocab[field].codes))
            return {value: int(counts[code]) for value, code in table.vocab[field].codes.items()}

    def refresh(self, db: GraphDB) -> None:
        with self._lock:
            self._current(db)

    @property
    def generation(self) -> int | None:
        return self._generation

    def size(self) -> int:
        return self._table.n if self._table else 0

    def _current(self, db: GraphDB) -> _Table:
        if self._table is None:
            self._rebuild(db)
            return self._table
        generation, newest, changed = item_feed.changes(db, self.kind, self._seen)
        if generation != self._generation:
            self._rebuild(db)
        else:
            # Every change up to `newest` had committed when it was read; a row numbered
            # above it may come along too and is simply applied again next time.
            self._apply(changed)
            self._seen = newest
        return self._table

    def _rebuild(self, db: GraphDB) -> None:
        table = _Table()
        generation, newest = item_feed.scan(db, self.kind, lambda rows: _load(table, rows))
        table.compact_text()
        self._table, self._generation, self._seen = table, generation, newest

    def _apply(self, rows: list[dict]) -> None:
        table = self._table
        _load(table, rows)
        if len(table.override) > max(5000, table.n // 10):
            table.compact_text()


_CATALOGS: "weakref.WeakKeyDictionary[GraphDB, dict[str, ItemCatalog]]" = weakref.WeakKeyDictionary()
_REGISTRY_LOCK = threading.Lock()


def catalog_for(db: GraphDB, kind: str) -> ItemCatalog:
    """This process's catalog of one kind for one graph connection."""
    with _REGISTRY_LOCK:
        per_db = _CATALOGS.setdefault(db, {})
        return per_db.setdefault(kind, ItemCatalog(kind))


def warm_in_background(db: GraphDB) -> threading.Thread:
    """Build both kinds' catalogs in a daemon thread (list requests wait for it)."""
    def warm() -> None:
        for kind in item_feed.KINDS:
            try:
                catalog_for(db, kind).refresh(db)
            except Exception:  # noqa: BLE001 - the first list request retries and reports
                log.warning("could not build the %s item catalog yet", kind, exc_info=True)
    thread = threading.Thread(target=warm, name="catalog-warm", daemon=True)
    thread.start()
    return thread


def _load(table: _Table, rows: Iterable[dict]) -> None:
    for row in rows:
        table.upsert(row)


def _resized(column: np.ndarray, size: int, fill) -> np.ndarray:
    out = np.full(size, fill, column.dtype)
    out[:len(column)] = column
    return out


def _date_number(text: str | None, default: int) -> int:
    """'2027-03-31' -> 20270331; anything else -> default."""
    digits = (text or "").strip().replace("-", "")
    return int(digits) if len(digits) == 8 and digits.isdigit() else default
