"""Arrays derived from a segment, kept beside it so that every worker maps the same copy.

A segment is immutable, so anything computed from it (the term-major BM25 matrix, the
vectors' cluster index) is computed once, by the builder right after it writes the segment
or else by the first process that needs it, and written into the segment's directory: to a
temporary directory renamed into place, so a racing process sees all of it or none (and
computes the same content). Every process then maps the files read-only: the OS page cache
holds one copy for all workers.
"""
from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from typing import Any, Callable

import numpy as np

from ..index.strings import mapped

Arrays = dict[str, np.ndarray]
_cache: dict[tuple[str, str], Any] = {}
_CACHED_SEGMENTS = 512  # segments merged away stay cached until this many newer ones push them out


def side_arrays(segment_path: Path, name: str, compute: Callable[[], Arrays],
                wrap: Callable[[Arrays], Any] = lambda arrays: arrays, replaces: tuple[str, ...] = ()):
    """`wrap` of the arrays in `segment_path/name/`, mapped read-only, `compute()`d and written once if
    absent; the wrapped object is kept per process, so a query does not re-open or re-check the files.
    `replaces` names older side files this one supersedes: removed once it is written (a process
    that still maps one keeps its mapping)."""
    key = (str(segment_path), name)
    if key not in _cache:
        folder = Path(segment_path) / name
        if not folder.exists():
            _write(folder, compute())
            for old in replaces:
                shutil.rmtree(Path(segment_path) / old, ignore_errors=True)
        _cache[key] = wrap({p.stem: mapped(p) for p in sorted(folder.glob("*.npy"))})
        if len(_cache) > _CACHED_SEGMENTS:
            _cache.pop(next(iter(_cache)))
    return _cache[key]


def _write(folder: Path, arrays: Arrays) -> None:
    tmp = folder.with_name(f"tmp-{folder.name}-{uuid.uuid4().hex[:8]}")
    tmp.mkdir()
    try:
        for part, array in arrays.items():
            np.save(tmp / f"{part}.npy", np.ascontiguousarray(array))
    except BaseException:  # a full disk: leave no partial copy behind
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    try:
        os.rename(tmp, folder)
    except OSError:  # another process renamed its copy first: the same content
        shutil.rmtree(tmp, ignore_errors=True)
