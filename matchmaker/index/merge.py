"""Compaction: which segments to merge (a simple tiered policy) and how to copy their live rows."""
from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp

from .segment import Segment
from .strings import StringColumn


def plan_merge(live_rows: list[int], max_segments: int, max_rows: int) -> list[int]:
    """Indices of the segments to merge into one, or [] while there are at most `max_segments`.

    Like Lucene's tiered policy, simplified: segments fall into tiers by size (powers of ten of
    live rows); the smallest tier holding two or more is merged, as long as the result stays
    within `max_rows`. Segments already at `max_rows` (full builds) are left alone.
    """
    if len(live_rows) <= max_segments:
        return []
    small = [i for i, n in enumerate(live_rows) if n < max_rows]
    tiers: dict[int, list[int]] = {}
    for i in small:
        tiers.setdefault(int(math.log10(max(live_rows[i], 1))), []).append(i)
    for tier in sorted(tiers):
        chosen = _fill(tiers[tier], live_rows, max_rows)
        if len(chosen) >= 2:
            return chosen
    return _fill(sorted(small, key=lambda i: live_rows[i]), live_rows, max_rows)


def _fill(candidates: list[int], live_rows: list[int], max_rows: int) -> list[int]:
    chosen, total = [], 0
    for i in sorted(candidates, key=lambda i: live_rows[i]):
        if total + live_rows[i] > max_rows:
            break
        chosen.append(i)
        total += live_rows[i]
    return sorted(chosen) if len(chosen) >= 2 else []


def take_rows(segment: Segment, rows: np.ndarray) -> dict:
    """The given rows of every column, copied out of the mapped files."""
    out = {}
    for name, column in segment.columns.items():
        if isinstance(column, StringColumn):
            out[name] = column.take(rows)
        elif sp.issparse(column):
            out[name] = column[rows]
        else:
            out[name] = np.asarray(column[rows])
    return out


def concat(parts: list[dict]) -> dict:
    """Columns of several segments end to end; every part must have the same columns."""
    names = list(parts[0])
    for part in parts[1:]:
        if list(part) != names:
            raise ValueError(f"segments differ in columns: {names} and {list(part)}; rebuild the index")
    out = {}
    for name in names:
        values = [p[name] for p in parts]
        if isinstance(values[0], list):
            out[name] = [v for chunk in values for v in chunk]
        elif sp.issparse(values[0]):  # a vocabulary that grew gives later parts more columns
            width = max(v.shape[1] for v in values)
            out[name] = sp.vstack([_widen(v, width) for v in values], format="csr")
        else:
            out[name] = np.concatenate(values)
    return out


def _widen(matrix, width: int):
    csr = sp.csr_matrix(matrix)
    return sp.csr_matrix((csr.data, csr.indices, csr.indptr), shape=(csr.shape[0], width))
