"""The term-major BM25 matrix of a segment, kept beside it so every worker maps the same copy.

Segments store BM25 weights documents-first (the layout compaction concatenates);
a query needs them terms-first. The transposed form is a side file of the segment
(`bm25_inv/`, sidecar.py), with each term's and each document's largest weight (the
bounds of the MaxScore top-k): written once, then mapped read-only by every process.
"""
from __future__ import annotations

import numpy as np
from scipy import sparse

from .lexical import BM25Matrix
from .sidecar import side_arrays


def segment_matrix(segment, column: str = "bm25") -> BM25Matrix:
    """The term-major matrix of a mapped segment: mapped from its side files, written once if absent."""
    def compute() -> dict[str, np.ndarray]:
        matrix = BM25Matrix.from_doc_major(segment[column])
        return {"term_keys": matrix.term_keys, "data": matrix.weights.data, "indices": matrix.weights.indices,
                "indptr": matrix.weights.indptr, "term_max": matrix.term_max, "doc_max": matrix.doc_max}

    def wrap(arrays: dict[str, np.ndarray]) -> BM25Matrix:
        weights = sparse.csr_matrix((arrays["data"], arrays["indices"], arrays["indptr"]),
                                    shape=(len(arrays["term_keys"]), segment.rows), copy=False)
        # term_max and doc_max (MaxScore's bounds) are absent from side files written before them
        return BM25Matrix(weights, arrays["term_keys"], segment.rows, segment[column], arrays.get("term_max"),
                          arrays.get("doc_max"))

    return side_arrays(segment.path, f"{column}_inv", compute, wrap)
