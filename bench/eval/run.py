"""`make eval`: the engine against its baselines on every evaluation set, side by side.

    python -m bench.eval.run [--sets own,abt-buy,amazon-google] [--split test|dev|all] [--report]

Methods, all given the same query and document texts:
- engine: lexical + encoder candidates, re-ranked by the learned model (the platform's ranking);
- lexical: the engine's BM25 alone (hashed CJK characters/bigrams, words, 3-grams, codes, concepts);
- encoder: cosine of the encoder's vectors alone, over every document;
- bm25: rank_bm25's BM25Okapi over character bigrams (own set) or 3-grams (benchmark sets).
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from matchmaker.matching.reranker import load_reranker

from . import metrics
from .baselines import bm25_baseline
from .datasets import available
from .encoding import encoder_or_none
from .pipeline import Prepared, candidates, prepare
from .report import write_report
from .splits import in_split

K = 10


def rank_engine(prep: Prepared, query) -> list[str]:
    rows, features, _ = candidates(prep, query)
    scores = load_reranker(prep.doc_vectors is not None).fit_probability(features)
    order = rows[np.argsort(-scores, kind="stable")]
    return [prep.data.documents[r].id for r in order[:K]]


def rank_lexical(prep: Prepared, query) -> list[str]:
    rows, features, _ = candidates(prep, query)
    lexical = features[:, 1]
    order = rows[np.argsort(-lexical, kind="stable")]
    return [prep.data.documents[r].id for r in order[:K]]


def rank_encoder(prep: Prepared, query) -> list[str]:
    scores = prep.doc_vectors @ prep.query_vectors[query.id]
    return [prep.data.documents[r].id for r in np.argsort(-scores, kind="stable")[:K]]


def evaluate(name: str, split: str, encoder) -> list[dict]:
    prep = prepare(available()[name](), encoder)
    queries = [q for i, q in enumerate(prep.data.queries) if in_split(name, q, i, split)]
    methods = {"engine": lambda q: rank_engine(prep, q), "lexical": lambda q: rank_lexical(prep, q)}
    if encoder is not None:
        methods["encoder"] = lambda q: rank_encoder(prep, q)
    methods["bm25"] = bm25_baseline(prep.data, "bigram" if name == "own" else "trigram")
    results = []
    for method, rank in methods.items():
        rank(queries[0])  # untimed: one-time loading (the compiled BM25 kernels) is not a per-query cost
        started = time.perf_counter()
        rankings = {q.id: rank(q) for q in queries}
        seconds = time.perf_counter() - started
        results.extend(_scores(name, split, method, queries, rankings, prep, seconds))
    return results


def _scores(name, split, method, queries, rankings, prep, seconds) -> list[dict]:
    groups = {"all": queries}
    if name == "own":
        for q in queries:
            groups.setdefault(f"kind={q.kind}", []).append(q)
            groups.setdefault("cross-language" if q.kind.startswith("cross") else "same-language", []).append(q)
    rows = []
    for group, members in groups.items():
        grades = [prep.data.grades.get(q.id, {}) for q in members]
        ranked = [rankings[q.id] for q in members]
        rows.append({"set": name, "split": split, "group": group, "method": method, "queries": len(members),
                     "recall@10": metrics.mean([metrics.recall_at(r, g) for r, g in zip(ranked, grades)]),
                     "ndcg@10": metrics.mean([metrics.ndcg_at(r, g) for r, g in zip(ranked, grades)]),
                     "mrr": metrics.mean([metrics.reciprocal_rank(r, g) for r, g in zip(ranked, grades)]),
                     "ms/query": 1000 * seconds / max(len(queries), 1)})
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", default=",".join(available()))
    parser.add_argument("--split", default="test", choices=("test", "dev", "all"))
    parser.add_argument("--report", action="store_true", help="write docs/MATCHING.md's results block")
    args = parser.parse_args(argv)
    encoder = encoder_or_none()
    results = []
    for name in args.sets.split(","):
        results.extend(evaluate(name, args.split, encoder))
    for r in results:
        print(f"{r['set']:>13} {r['split']:>4} {r['group']:>22} {r['method']:>8} n={r['queries']:<5} "
              f"R@10 {r['recall@10']:.3f}  nDCG@10 {r['ndcg@10']:.3f}  MRR {r['mrr']:.3f}  "
              f"{r['ms/query']:.1f} ms/q")
    if args.report:
        write_report(results, encoder)


if __name__ == "__main__":
    main()
