"""Which queries train the re-ranker (dev) and which judge it (test)."""
from __future__ import annotations

from .datasets import Query


def in_split(set_name: str, query: Query, position: int, split: str) -> bool:
    """The own set states each demand's split; the benchmark sets alternate by position."""
    if split == "all":
        return True
    if set_name == "own":
        return query.split == split
    return (position % 2 == 0) == (split == "dev")
