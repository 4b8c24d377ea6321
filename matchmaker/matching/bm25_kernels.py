"""The loops of BM25 top-k, compiled (numba) because numpy cannot skip postings.

`top_candidates` is MaxScore over the term-major matrix. Terms are read rarest first, each
posting list whole. Once enough postings are read, the documents with the best partial scores get
their full score, and the k-th best of those is a floor under the final k-th best (so is the k-th
best score of the segments searched before). When the terms not read yet could add less than the
floor to a document nobody has reached, no such document can enter the top k: from then on only
the reached documents that can still reach the floor are candidates (a bound per document: its
partial score plus the lower of what the unread terms can add at most and its own largest term
weight times their weights), only they gain from the next terms, and they are dropped as their
bounds fall. As soon as scoring the candidates in full costs less than reading on, they are. The
result is exact, not an approximation. On the generated million-item catalog a query reads a
twentieth to a tenth of its postings (docs/BENCHMARKS.md).

A full score comes from the document-major matrix (the segment's own `bm25` column): each of the
document's terms looked up in a small hash table of the query's, a few cache lines per document,
where looking each query term up in its posting list would jump around a large mapped array.

Compiled once per machine: `cache=True` keeps the machine code beside this file (__pycache__), so a
new process loads it in a fraction of a second (docs/DEPLOYMENT.md: where that folder is read-only).
"""
from __future__ import annotations

import numpy as np
from numba import njit

FLOOR_SAMPLE = 4  # at most this many times k of the best partial scores are scored in full for the floor
LOOKUP_COST = 256  # a document's full score (~0.7 µs, random rows) costs as much as reading this many postings (2-3 ns)


@njit(cache=True, nogil=True)
def top_candidates(indptr, indices, data, terms, weights, tail_bound, tail_weight, by_doc, doc_max, query_keys,
                   query_weights, allowed, k, budget, floor):
    """(rows, exact scores) of every allowed document that can be among the k best and reach `floor`
    (the k-th best score other segments already gave: what a document must reach to matter), unordered.

    `terms` (rows of the term-major matrix) and `weights` (their query weights) are rarest first;
    `tail_bound[i]` is the most that terms i.. can add to one document (length len(terms) + 1) and
    `tail_weight[i]` their query weights' sum: a document whose largest term weight is `doc_max[d]`
    gains at most `doc_max[d] * tail_weight[i]` from them, often less than `tail_bound[i]`.
    `by_doc` is the document-major matrix (indptr, bucket ids, data) and `query_keys` the query's
    bucket ids in ascending order, with `query_weights`."""
    n_docs = allowed.shape[0]
    scores = np.zeros(n_docs, dtype=np.float32)
    reached = np.zeros(n_docs, dtype=np.bool_)
    touched = np.empty(n_docs, dtype=np.int64)
    postings = np.zeros(len(terms) + 1, dtype=np.int64)  # postings[i]: in terms before i
    for i in range(len(terms)):
        postings[i + 1] = postings[i] + indptr[terms[i] + 1] - indptr[terms[i]]
    count, read, next_check, kept_before = 0, 0, budget, -1
    candidates, narrowed = touched[:0], False  # narrowed: no unreached document can reach the floor
    for i in range(len(terms)):
        rows = candidates if narrowed else touched[:count]
        if read >= next_check and len(rows) >= k:  # raise the floor: the k-th best full score so far
            floor = max(floor, _full_floor(by_doc, query_keys, query_weights, scores, rows, k))
            next_check = read * 2
        if len(rows) and tail_bound[i] < floor:
            keep = _still_possible(scores, rows, tail_bound[i], tail_weight[i], doc_max, floor)
            if _score_now(len(keep), kept_before, postings[i + 1] - postings[i], postings[-1] - postings[i]):
                full = full_scores(by_doc[0], by_doc[1], by_doc[2], query_keys, query_weights, keep)
                return keep[full >= floor], full[full >= floor]
            # Bounds only fall and the floor only rises, so a dropped document never returns:
            # from here on `reached` marks the candidates, and only they gain from further terms.
            for r in rows:
                reached[r] = False
            for r in keep:
                reached[r] = True
            candidates, narrowed, kept_before = keep, True, len(keep)
        term, weight = terms[i], weights[i]
        for j in range(indptr[term], indptr[term + 1]):
            doc = indices[j]
            if narrowed:
                if reached[doc]:
                    scores[doc] += data[j] * weight
            elif allowed[doc]:
                if not reached[doc]:
                    reached[doc] = True
                    touched[count] = doc
                    count += 1
                scores[doc] += data[j] * weight
        read += indptr[term + 1] - indptr[term]
    rows = candidates if narrowed else touched[:count]
    rows = rows[scores[rows] >= floor]
    return rows, scores[rows]


@njit(cache=True, nogil=True)
def _score_now(kept, kept_before, next_postings, unread):
    """Whether scoring the `kept` candidates now costs less than reading on: reading the next term
    pays when it is likely to drop more candidates than its postings cost (the last term's drop
    is the guess), and never when scoring all of them costs less than reading what is left."""
    if kept * LOOKUP_COST <= next_postings or kept * LOOKUP_COST <= unread // 4:
        return True
    return kept_before >= 0 and (kept_before - kept) * LOOKUP_COST < next_postings


@njit(cache=True, nogil=True)
def full_scores(doc_indptr, doc_keys, doc_data, query_keys, query_weights, rows):
    """BM25 scores of the given documents: each of a document's terms looked up in a small hash
    table of the query's (most miss at once, where a merge would branch unpredictably)."""
    slots, table_keys, table_weights = _query_table(query_keys, query_weights)
    mask = len(table_keys) - 1
    out = np.zeros(len(rows), dtype=np.float32)
    for r in range(len(rows)):
        total = np.float32(0.0)
        for j in range(doc_indptr[rows[r]], doc_indptr[rows[r] + 1]):
            key = doc_keys[j]
            slot = (key * _MIX) >> slots & mask
            while table_keys[slot] >= 0:
                if table_keys[slot] == key:
                    total += doc_data[j] * table_weights[slot]
                    break
                slot = (slot + 1) & mask
        out[r] = total
    return out


_MIX = 2654435761  # Knuth's multiplicative hash; keys are below 2**22, so products fit in 64 bits


@njit(cache=True, nogil=True)
def _query_table(keys, weights):
    """An open-addressing table of the query's keys, at most an eighth full."""
    bits = 4
    while (1 << bits) < 8 * max(len(keys), 1):
        bits += 1
    table_keys = np.full(1 << bits, -1, dtype=np.int64)
    table_weights = np.zeros(1 << bits, dtype=np.float32)
    mask = (1 << bits) - 1
    slots = 32 - bits
    for i in range(len(keys)):
        slot = (np.int64(keys[i]) * _MIX) >> slots & mask
        while table_keys[slot] >= 0 and table_keys[slot] != keys[i]:
            slot = (slot + 1) & mask
        table_keys[slot] = keys[i]
        table_weights[slot] += weights[i]
    return slots, table_keys, table_weights


@njit(cache=True, nogil=True)
def _full_floor(by_doc, query_keys, query_weights, scores, rows, k):
    """A floor under the final k-th best score: the k-th best full score among the documents whose
    partial score is at least the k-th best partial (at most FLOOR_SAMPLE * k of them)."""
    kth = _kth_best(scores[rows], k)
    best = np.empty(min(len(rows), FLOOR_SAMPLE * k), dtype=np.int64)
    found = 0
    for r in rows:
        if scores[r] >= kth and found < len(best):
            best[found] = r
            found += 1
    return _kth_best(full_scores(by_doc[0], by_doc[1], by_doc[2], query_keys, query_weights, best[:found]), k)


@njit(cache=True, nogil=True)
def _still_possible(scores, rows, tail, tail_weight, doc_max, theta):
    """The rows whose score plus what the unread terms can add (the lower of two bounds) reaches theta."""
    keep = np.empty(len(rows), dtype=np.int64)
    kept = 0
    for r in rows:
        if scores[r] + min(tail, tail_weight * doc_max[r]) >= theta:
            keep[kept] = r
            kept += 1
    return keep[:kept].copy()


@njit(cache=True, nogil=True)
def _kth_best(values, k):
    return np.partition(values.copy(), len(values) - k)[len(values) - k]
