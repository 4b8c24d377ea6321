"""One generation of the index opened: its segments mapped, their deletes, lookups across them.

Every segment carries four system columns the builder adds to the caller's own:
`id` (indexed string), `seq` (int64 change number), `kind` (string) and `digest`
(uint64 hash of id and seq, for the consistency check).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from .hashing import digests, hash64, xor_all
from .manifest import EMPTY, Manifest, read_deletes
from .segment import Segment

SYSTEM_COLUMNS = ("id", "seq", "kind", "digest")



def with_system_columns(columns: dict, rows: list[dict]) -> dict:
    """The caller's encoded columns plus the system columns taken from `rows`."""
    clash = set(columns) & set(SYSTEM_COLUMNS)
    if clash:
        raise ValueError(f"encode_rows returned reserved column(s) {sorted(clash)}; rename them")
    ids, seqs = [str(r["id"]) for r in rows], [int(r["seq"]) for r in rows]
    return {**columns, "id": ids, "seq": np.array(seqs, dtype=np.int64),
            "kind": [str(r["kind"]) for r in rows], "digest": digests(ids, seqs)}


class Snapshot:
    """The segments of one manifest, read-only; live rows are the segments' rows minus deletes."""

    def __init__(self, directory: Path, manifest: Manifest | None) -> None:
        self.directory = Path(directory)
        self.manifest = manifest or EMPTY
        self.segments = [Segment(self.directory / "segments" / e.name) for e in self.manifest.segments]
        self.deleted = [read_deletes(self.directory, e) for e in self.manifest.segments]

    @property
    def seq(self) -> int:
        return self.manifest.seq

    def live_mask(self, index: int) -> np.ndarray:
        return ~np.asarray(self.deleted[index])

    def live_count(self) -> int:
        return sum(int(self.live_mask(i).sum()) for i in range(len(self.segments)))

    def find(self, item_id: str) -> tuple[int, int] | None:
        """(segment index, row) of the live row with this id, newest segment first."""
        key = hash64(item_id)
        for index in range(len(self.segments) - 1, -1, -1):
            row = self.segments[index]["id"].find(item_id, key)
            if row >= 0 and not self.deleted[index][row]:
                return index, row
        return None

    def checksum(self, kind: str) -> tuple[int, int]:
        """(count, XOR of digests) of the live rows of `kind`: compared with the source's."""
        count, digest = 0, 0
        for index, segment in enumerate(self.segments):
            mask = self.live_mask(index) & segment["kind"].equals(kind)
            count += int(mask.sum())
            digest ^= xor_all(np.asarray(segment["digest"])[mask])
        return count, digest
