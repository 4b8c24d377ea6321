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
    data, offsets = column.raw()
    hit[_row_of(offsets, _starts(data, word.encode("utf-8")))] = True
    return rows[hit[rows]]


def rows_certified(column, name: str, today: int) -> np.ndarray:
    """Rows holding certification `name` (upper case) valid on `today` (YYYYMMDD)."""
    entry = f"{CERT_MARK}{name}@".encode("utf-8")
    if isinstance(column, list):
        texts = [text.encode("utf-8") for text in column]
        return np.array([r for r, text in enumerate(texts)
                         if any(_date_at(np.frombuffer(text, np.uint8), _starts(text, entry) + len(entry)) >= today)],
                        np.int64)
    data, offsets = column.raw()
    starts = _starts(data, entry)
    valid = _date_at(data, starts + len(entry)) >= today  # the 8 digits after the entry's '@'
    return np.unique(_row_of(offsets, starts[valid]))


def _starts(data, needle: bytes) -> np.ndarray:
    """Byte offsets of every match of `needle` in `data` (a bytes regex, run in C)."""
    return np.fromiter((m.start() for m in re.finditer(re.escape(needle), memoryview(data))), np.int64)


def _row_of(offsets: np.ndarray, starts: np.ndarray) -> np.ndarray:
    return np.searchsorted(offsets, starts, side="right") - 1


def _date_at(data, at: np.ndarray) -> np.ndarray:
    """The 8 ASCII digits at each offset as a number (YYYYMMDD), all at once."""
    digits = np.asarray(data)[at[:, None] + np.arange(8)].astype(np.int64) - ord("0")
    return digits @ (10 ** np.arange(7, -1, -1, dtype=np.int64))
