"""What the index reads from: a commit-ordered change feed (graph/ implements it for the app)."""
from __future__ import annotations

from typing import Iterator, Protocol


class ChangeSource(Protocol):
    """Rows are dicts with at least `id` (str), `seq` (int), `kind` (str) and the item's fields.

    `seq` is allocated inside the writing transaction, so `changes_since(s)` never later
    returns a row with a number at or below one it has already returned. An item that is
    ended keeps appearing with its status; a removed item appears once more as a tombstone
    (`deleted: True`) so the index drops it.
    """

    def max_seq(self) -> int:
        """The highest change number committed so far (0 when none)."""

    def changes_since(self, seq: int, limit: int) -> list[dict]:
        """Up to `limit` rows with `seq` above the given one, in `seq` order."""

    def scan(self, batch_size: int) -> Iterator[list[dict]]:
        """Every current item (no tombstones), in batches."""

    def checksum(self, kind: str) -> tuple[int, int]:
        """(count, XOR of hashing.row_digest(id, seq)) over the current items of `kind`."""


def keep_unless_deleted(row: dict) -> bool:
    """The default rule for which rows the index holds: all but tombstones."""
    return not row.get("deleted")
