"""Both ways a change feed reads what came after a number give the same pages: equality lookups of each
number (the usual, short gap) and the range scan (a reader far behind); pages end on whole numbers."""
from __future__ import annotations

import pytest

from graph import changes, item_feed, match_feed
from tests.integration.test_gap_map import _firm, _supply


@pytest.fixture
def written(db):
    firm = _firm(db, "FL-1", "sme", "510116")
    before = item_feed.max_seq(db)
    for i in range(6):
        _supply(db, f"FL-S{i}", firm, "nev.battery-cells" if i % 2 else "nev.lightweight-castings")
    return before


@pytest.mark.parametrize("feed", [item_feed, match_feed])
def test_lookups_and_scan_read_the_same_rows(db, written, feed, monkeypatch):
    by_lookups = feed.changes_after(db, "supply", written, 100)
    monkeypatch.setattr(changes, "LOOKUP_SPAN", 0)
    by_scan = feed.changes_after(db, "supply", written, 100)
    assert [r["id"] for r in by_lookups] == [r["id"] for r in by_scan] == [f"FL-S{i}" for i in range(6)]
    assert [r["seq"] for r in by_lookups] == sorted(r["seq"] for r in by_lookups)


def test_a_page_ends_on_a_whole_number_and_nothing_comes_after_the_newest(db, written):
    first = item_feed.changes_after(db, "supply", written, 2)
    assert len({r["seq"] for r in first}) == len(first) and 1 <= len(first) <= 2
    rest = item_feed.changes_after(db, "supply", first[-1]["seq"], 100)
    assert [r["id"] for r in first + rest] == [f"FL-S{i}" for i in range(6)]
    assert item_feed.changes_after(db, "supply", item_feed.max_seq(db), 100) == []
