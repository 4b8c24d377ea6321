"""The match index's change source over the graph (matchmaker.index.source.ChangeSource)."""
from __future__ import annotations

import queue
import threading
from typing import Iterator

from graph import match_feed
from graph.db import GraphDB

from ..index.hashing import row_digest

_DONE = object()


class GraphSource:
    def __init__(self, db: GraphDB, kind: str):
        self.db, self.kind = db, kind

    def max_seq(self) -> int:
        return match_feed.max_seq(self.db)

    def generation(self) -> int:
        return match_feed.generation(self.db, self.kind)

    def changes_since(self, seq: int, limit: int) -> list[dict]:
        return match_feed.changes_after(self.db, self.kind, seq, limit)

    def scan(self, batch_size: int) -> Iterator[list[dict]]:
        """Every item in batches, streamed: the read transaction runs in a thread that hands
        batches over a short queue, so a million items never sit in memory at once."""
        handover: queue.Queue = queue.Queue(maxsize=4)
        failure: list[BaseException] = []

        def consume(rows: Iterator[dict]) -> None:
            batch = []
            for row in rows:
                batch.append(row)
                if len(batch) >= batch_size:
                    handover.put(batch)
                    batch = []
            if batch:
                handover.put(batch)

        def run() -> None:
            try:
                match_feed.scan(self.db, self.kind, consume)
            except BaseException as exc:  # re-raised in the consuming thread
                failure.append(exc)
            finally:
                handover.put(_DONE)

        threading.Thread(target=run, name=f"scan-{self.kind}", daemon=True).start()
        while (batch := handover.get()) is not _DONE:
            yield batch
        if failure:
            raise failure[0]

    def checksum(self, kind: str) -> tuple[int, int]:
        pairs = match_feed.id_seqs(self.db, self.kind)
        digest = 0
        for item_id, seq in pairs:
            digest ^= row_digest(item_id, seq)
        return len(pairs), digest
