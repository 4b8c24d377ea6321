"""Batches out of a streaming read transaction, without holding every row in memory."""
from __future__ import annotations

import queue
import threading
from typing import Callable, Iterator

_DONE = object()


def stream_batches(scan: Callable[[Callable[[Iterator[dict]], None]], None], batch_size: int,
                   name: str = "scan") -> Iterator[list[dict]]:
    """Yield the rows `scan(consume)` hands to `consume`, `batch_size` at a time.

    The scan (one read transaction) runs in a thread that passes batches over a short
    queue, so a million items never sit in memory at once; its error is re-raised here.
    """
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
            scan(consume)
        except BaseException as exc:  # re-raised in the consuming thread
            failure.append(exc)
        finally:
            handover.put(_DONE)

    threading.Thread(target=run, name=name, daemon=True).start()
    while (batch := handover.get()) is not _DONE:
        yield batch
    if failure:
        raise failure[0]
