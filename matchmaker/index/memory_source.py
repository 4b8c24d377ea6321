"""An in-memory ChangeSource: for tests and benchmarks, and the reference for graph/'s feed."""
from __future__ import annotations

import threading
from typing import Iterator

from .hashing import row_digest


class MemorySource:
    """Items by id; every write takes the next seq, as the graph's counter does in its transaction."""

    def __init__(self) -> None:
        self.items: dict[str, dict] = {}
        self.log: list[dict] = []  # every version written, in seq order
        self._lock = threading.Lock()

    def write(self, item_id: str, kind: str = "supply", **fields) -> dict:
        return self._append({"id": item_id, "kind": kind, **fields})

    def delete(self, item_id: str) -> dict:
        return self._append({"id": item_id, "kind": self.items[item_id]["kind"], "deleted": True})

    def _append(self, row: dict) -> dict:
        with self._lock:
            row["seq"] = len(self.log) + 1
            self.log.append(row)
            if row.get("deleted"):
                self.items.pop(row["id"], None)
            else:
                self.items[row["id"]] = row
            return row

    def max_seq(self) -> int:
        return len(self.log)

    def changes_since(self, seq: int, limit: int) -> list[dict]:
        return [dict(r) for r in self.log[seq:seq + limit]]

    def scan(self, batch_size: int) -> Iterator[list[dict]]:
        rows = list(self.items.values())
        for start in range(0, len(rows), batch_size):
            yield [dict(r) for r in rows[start:start + batch_size]]

    def checksum(self, kind: str) -> tuple[int, int]:
        count, digest = 0, 0
        for row in self.items.values():
            if row["kind"] == kind:
                count += 1
                digest ^= row_digest(row["id"], row["seq"])
        return count, digest
