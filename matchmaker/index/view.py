"""An immutable view: one snapshot of mapped segments plus this process's delta of newer rows."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .snapshot import Snapshot


@dataclass(frozen=True)
class Hit:
    """Where an id lives: a segment row (`segment`, `row`) or a delta row (`delta`)."""
    segment: int | None = None
    row: int | None = None
    delta: dict | None = None


class View:
    """Live rows = every segment's rows minus deletes minus ids the delta overrides, plus the delta."""

    def __init__(self, snapshot: Snapshot, delta: dict, delta_seq: int, keep, encode_rows=None,
                 behind: bool = False, previous: "View | None" = None) -> None:
        self.snapshot, self.delta, self.delta_seq = snapshot, delta, delta_seq
        self.behind = behind  # the delta is incomplete (too large, or the source failed)
        self._keep, self._encode = keep, encode_rows
        self._masks: dict[int, np.ndarray] = {}
        self._encoded = None
        self.overridden = self._locate(previous)

    def _locate(self, previous: "View | None") -> dict[str, tuple[int, int] | None]:
        """Where each delta id's older row is in the snapshot; only new ids are looked up."""
        known = previous.overridden if previous and previous.snapshot is self.snapshot else {}
        return {i: known[i] if i in known else self.snapshot.find(i) for i in self.delta}

    @property
    def segments(self):
        return self.snapshot.segments

    @property
    def seq(self) -> int:
        """The highest change number this view reflects."""
        return max(self.delta_seq, self.snapshot.seq)

    def find(self, item_id: str) -> Hit | None:
        if item_id in self.delta:
            row = self.delta[item_id]
            return Hit(delta=row) if self._keep(row) else None
        found = self.snapshot.find(item_id)
        return Hit(segment=found[0], row=found[1]) if found else None

    def live_mask(self, index: int) -> np.ndarray:
        """Segment `index`'s rows that are live in this view (computed once per view)."""
        if index not in self._masks:
            mask = self.snapshot.live_mask(index)
            mask[[at[1] for at in self.overridden.values() if at and at[0] == index]] = False
            self._masks[index] = mask
        return self._masks[index]

    def delta_rows(self) -> list[dict]:
        """The delta's live rows (tombstones and rows `keep` refuses left out), oldest first."""
        return sorted((r for r in self.delta.values() if self._keep(r)), key=lambda r: r["seq"])

    def delta_columns(self) -> dict:
        """The delta's live rows encoded by the caller's `encode_rows`, once per view."""
        if self._encoded is None:
            rows = self.delta_rows()
            self._encoded = self._encode(rows) if self._encode and rows else {}
        return self._encoded

    def live_count(self) -> int:
        segment_rows = sum(int(self.live_mask(i).sum()) for i in range(len(self.segments)))
        return segment_rows + len(self.delta_rows())
