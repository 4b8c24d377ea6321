"""Stable 64-bit hashes: the same in every process and on every host (Python's hash() is salted)."""
from __future__ import annotations

from hashlib import blake2b

import numpy as np


def hash64(text: str) -> int:
    """An unsigned 64-bit hash of a string."""
    return int.from_bytes(blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


def row_digest(item_id: str, seq: int) -> int:
    """The hash of one row version; a kind's checksum is the XOR of its live rows' digests."""
    return hash64(f"{item_id}\x1f{int(seq)}")


def hashes(texts) -> np.ndarray:
    return np.fromiter((hash64(t) for t in texts), dtype=np.uint64, count=len(texts))


def digests(ids, seqs) -> np.ndarray:
    return np.fromiter((row_digest(i, s) for i, s in zip(ids, seqs)), dtype=np.uint64, count=len(ids))


def xor_all(values: np.ndarray) -> int:
    return int(np.bitwise_xor.reduce(values)) if len(values) else 0
