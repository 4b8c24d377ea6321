"""How much of a query's character 3-grams each candidate's text contains.

Character 3-grams over the whole normalised text (spaces, short words and digits
included) catch what word terms miss in English product lines: split or joined
model numbers, brand fragments, `16gb` against `16 gb`. The share is read for a
few hundred candidates per query, so it is computed for all of them at once in
numpy: every text becomes code points, each 3-gram one 64-bit number, and a
candidate's share is the number of distinct query 3-grams found among its own.
"""
from __future__ import annotations

import numpy as np

ITEM_CHARS = 200  # the part of an item's text compared (also what the index stores)
_SEP = "\x00"      # between candidates' texts, so no 3-gram spans two of them


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)


def _grams(codes: np.ndarray) -> np.ndarray:
    if len(codes) < 3:
        return np.zeros(0, dtype=np.int64)
    return (codes[:-2] << 42) | (codes[1:-1] << 21) | codes[2:]  # code points fit in 21 bits


def _hash16(grams: np.ndarray) -> np.ndarray:
    return ((grams.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(48)).astype(np.int64)


def trigram_share(query: str, items: list[str]) -> np.ndarray:
    """Per item: the share of the query's distinct 3-grams present in the item's first ITEM_CHARS."""
    wanted = np.unique(_grams(_codes(query)))
    if not len(wanted) or not items:
        return np.zeros(len(items))
    texts = [t[:ITEM_CHARS] for t in items]
    grams = _grams(_codes(_SEP.join(texts)))
    # The item each 3-gram starts in (a text and its separator are len + 1 positions).
    owner = np.repeat(np.arange(len(texts)), [len(t) + 1 for t in texts])[:len(grams)]
    # A 16-bit hash table first (a gather per 3-gram), then an exact check of the few that pass.
    table = np.zeros(1 << 16, dtype=bool)
    table[_hash16(wanted)] = True
    maybe = np.flatnonzero(table[_hash16(grams)])
    slot = np.searchsorted(wanted, grams[maybe])
    hit = (slot < len(wanted)) & (wanted[np.minimum(slot, len(wanted) - 1)] == grams[maybe])
    found = np.zeros((len(items), len(wanted)), dtype=bool)  # distinct: a 3-gram seen twice counts once
    found[owner[maybe[hit]], slot[hit]] = True
    return found.sum(axis=1) / len(wanted)
