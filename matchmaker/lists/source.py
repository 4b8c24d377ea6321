"""The list index's change source over the graph (matchmaker.index.source.ChangeSource)."""
from __future__ import annotations

from typing import Iterator

from graph import item_feed
from graph.db import GraphDB

from ..index.hashing import row_digest
from ..index.streaming import stream_batches


class ListSource:
    """Every item of one kind with its list fields, whatever its status."""

    def __init__(self, db: GraphDB, kind: str):
        self.db, self.kind = db, kind

    def max_seq(self) -> int:
        return item_feed.max_seq(self.db)

    def changes_since(self, seq: int, limit: int) -> list[dict]:
        return item_feed.changes_after(self.db, self.kind, seq, limit)

    def scan(self, batch_size: int) -> Iterator[list[dict]]:
        return stream_batches(lambda consume: item_feed.scan(self.db, self.kind, consume), batch_size,
                              f"list-scan-{self.kind}")

    def checksum(self, kind: str) -> tuple[int, int]:
        pairs = item_feed.id_seqs(self.db, self.kind)
        digest = 0
        for item_id, seq in pairs:
            digest ^= row_digest(item_id, seq)
        return len(pairs), digest
