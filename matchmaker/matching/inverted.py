"""The term-major BM25 matrix of a segment, kept beside it so every worker maps the same copy.

Segments store BM25 weights documents-first (the layout compaction concatenates);
a query needs them terms-first. The first process to open a segment writes the
transposed form into the segment's directory (`bm25_inv.*.npy`, written to a
temporary directory and renamed, so a racing process either sees all of it or
none and rebuilds the same content); every process then maps it read-only.
"""
from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import numpy as np
from scipy import sparse

from .lexical import BM25Matrix

_PARTS = ("term_keys", "data", "indices", "indptr")
_cache: dict[str, BM25Matrix] = {}


def term_major(doc_major: sparse.csr_matrix) -> BM25Matrix:
    coo = doc_major.tocoo()
    term_keys, compact = np.unique(coo.col.astype(np.int64), return_inverse=True)
    weights = sparse.csr_matrix((coo.data.astype(np.float32), (compact, coo.row)),
                                shape=(len(term_keys), doc_major.shape[0]))
    return BM25Matrix(weights, term_keys, doc_major.shape[0])


def segment_matrix(segment, column: str = "bm25") -> BM25Matrix:
    """The term-major matrix of a mapped segment: mapped from its side files, written once if absent."""
    key = str(segment.path)
    if key not in _cache:
        folder = Path(segment.path) / f"{column}_inv"
        if not folder.exists():
            _write(folder, term_major(segment[column]))
        _cache[key] = _open(folder, segment.rows)
        if len(_cache) > 256:  # segments merged away: forget the oldest
            _cache.pop(next(iter(_cache)))
    return _cache[key]


def _write(folder: Path, matrix: BM25Matrix) -> None:
    tmp = folder.with_name(f"tmp-{folder.name}-{uuid.uuid4().hex[:8]}")
    tmp.mkdir()
    arrays = {"term_keys": matrix.term_keys, "data": matrix.weights.data, "indices": matrix.weights.indices,
              "indptr": matrix.weights.indptr}
    for part in _PARTS:
        np.save(tmp / f"{part}.npy", arrays[part])
    try:
        os.rename(tmp, folder)
    except OSError:  # another process renamed its copy first: the same content
        shutil.rmtree(tmp, ignore_errors=True)


def _open(folder: Path, n_docs: int) -> BM25Matrix:
    arrays = {p: np.load(folder / f"{p}.npy", mmap_mode="r") for p in _PARTS}
    weights = sparse.csr_matrix((arrays["data"], arrays["indices"], arrays["indptr"]),
                                shape=(len(arrays["term_keys"]), n_docs), copy=False)
    return BM25Matrix(weights, arrays["term_keys"], n_docs)
