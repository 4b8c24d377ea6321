"""One kind's list queries for the services: over the shared index, or the graph until it is built.

Freshness: every query first reads the catalog generation (a delete bumps it) and then the
reader polls the change feed for everything numbered above what it holds, so a write in
any worker is listed by the next request of every worker. While the kind's index for the
current generation has no manifest yet, or the reader's delta has outgrown its bound (a big
import ahead of the builder), the query runs in Cypher (graph.item_search, the reference):
a list never waits for a build.
"""
from __future__ import annotations

import numpy as np

from graph import item_feed
from graph.db import GraphDB
from graph.item_search import ItemQuery, search_items

from .columns import CODED, code
from .select import Part, parts_of, search


class ListCatalog:
    def __init__(self, db: GraphDB, kind: str, views) -> None:
        self.db, self.kind, self._views = db, kind, views  # views: kind -> (generation, View | None)
        self.generation: int | None = None
        self._values: dict[str, dict[int, str]] = {name: {} for name in CODED}  # hash -> value, learnt

    def search(self, query: ItemQuery) -> tuple[list[str], int]:
        """(ids of the page's items in order, total matching)."""
        view = self._view()
        return search_in_graph(self.db, query) if view is None else search(parts_of(view), query)

    def parts(self) -> list[Part] | None:
        """The index's parts for a computation over every item (None while it cannot answer)."""
        view = self._view()
        return None if view is None else parts_of(view)

    def count_by(self, field: str) -> dict[str, int]:
        """{value of a coded field: number of items with it}, over every status."""
        if field not in CODED:
            raise ValueError(f"unknown field {field!r}")
        view = self._view()
        if view is None:
            return item_feed.count_by(self.db, self.kind, field)
        parts = parts_of(view)
        counts: dict[int, int] = {}
        first: dict[int, tuple[Part, int]] = {}
        for part in parts:
            values, at, n = np.unique(np.asarray(part.columns[field])[part.live], return_index=True,
                                      return_counts=True)
            live_rows = np.flatnonzero(part.live)
            for value, row, count in zip(values.tolist(), at.tolist(), n.tolist()):
                counts[value] = counts.get(value, 0) + count
                first.setdefault(value, (part, int(live_rows[row])))
        self._learn(field, {h: first[h] for h in counts if h and h not in self._values[field]})
        known = self._values[field]
        return {known[h]: n for h, n in counts.items() if h in known}

    def _view(self):
        self.generation, view = self._views(self.kind)
        return view

    def _learn(self, field: str, unknown: dict[int, tuple[Part, int]]) -> None:
        """Hashes only go one way: read one item per unseen value from the graph, once per process."""
        if not unknown:
            return
        ids = {h: part.take_ids(np.array([row]))[0] for h, (part, row) in unknown.items()}
        items = {i["id"]: i for i in item_feed.items_by_ids(self.db, self.kind, list(ids.values()))}
        for h, item_id in ids.items():
            value = items.get(item_id, {}).get(field)
            if value is not None and code(value) == h:  # the item may have changed since: then next time
                self._values[field][h] = str(value)


def search_in_graph(db: GraphDB, query: ItemQuery) -> tuple[list[str], int]:
    """The same answer from the graph's own query (graph.item_search, the reference)."""
    items, total = search_items(db, query)
    return [i["id"] for i in items], total
