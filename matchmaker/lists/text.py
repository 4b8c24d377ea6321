"""Substring search over a string column: a bytes regex over the mapped utf-8 buffer.

A segment's string column is its values' utf-8 bytes end to end plus offsets; a match's
start maps to its row by binary search in the offsets. Utf-8 is self-synchronising, so a
byte match of a word's utf-8 is a character match (Chinese needs no tokenising). The
delta's columns are plain lists of str, tested one by one.
"""
from __future__ import annotations

import re

import numpy as np

from .columns import CERT_MARK

FEW_ROWS = 5000  # below this many candidates, test each one's text instead of scanning all


def rows_containing(column, rows: np.ndarray, word: str) -> np.ndarray:
    """The rows (of the given ascending ones) whose value contains `word`."""
    if isinstance(column, list) or len(rows) <= FEW_ROWS:
        texts = [column[r] for r in rows] if isinstance(column, list) else column.take(rows)
        return rows[np.fromiter((word in t for t in texts), bool, len(rows))]
    hit = np.zeros(len(column), bool)
    hit[match_rows(column, re.escape(word.encode("utf-8")))] = True
    return rows[hit[rows]]


def match_rows(column, pattern: bytes, accept=None) -> np.ndarray:
    """Rows of a mapped string column with a match of `pattern` (`accept(match)` filters them)."""
    data, offsets = column.raw()
    found = re.finditer(pattern, memoryview(data))
    starts = np.fromiter((m.start() for m in found if accept is None or accept(m)), np.int64)
    return np.searchsorted(offsets, starts, side="right") - 1


def rows_certified(column, name: str, today: int) -> np.ndarray:
    """Rows holding certification `name` (upper case) valid on `today` (YYYYMMDD)."""
    pattern = re.escape(f"{CERT_MARK}{name}@".encode("utf-8")) + rb"(\d{8})"
    if isinstance(column, list):
        compiled = re.compile(pattern)
        return np.array([r for r, text in enumerate(column)
                         if any(int(m.group(1)) >= today for m in compiled.finditer(text.encode("utf-8")))],
                        np.int64)
    return np.unique(match_rows(column, pattern, lambda m: int(m.group(1)) >= today))
