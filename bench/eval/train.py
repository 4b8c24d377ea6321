"""Fit the re-ranker on the development splits and write matchmaker/matching/reranker.json.

    python -m bench.eval.train

Development split: the own set's `split=dev` demands and every other query of
Abt-Buy and Amazon-Google (even positions); the rest is held out for `make eval`.
Every set weighs the same in the fit, whatever its size, so the English product
sets cannot drown the bilingual one.
"""
from __future__ import annotations

import json

import numpy as np
from sklearn.linear_model import LogisticRegression

from matchmaker.matching.features import NAMES
from matchmaker.matching.reranker import WEIGHTS_FILES, Reranker

from .datasets import available
from .encoding import encoder_or_none
from .pipeline import candidates, prepare
from .splits import in_split


def training_rows(encoder) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    features, labels, weights = [], [], []
    for name, load in available().items():
        prep = prepare(load(), encoder)
        queries = [q for i, q in enumerate(prep.data.queries) if in_split(name, q, i, "dev")]
        for query in queries:
            rows, matrix, _ = candidates(prep, query)
            grades = prep.data.grades.get(query.id, {})
            doc_ids = [prep.data.documents[r].id for r in rows]
            features.append(matrix)
            labels.append(np.array([1 if grades.get(d, 0) >= 2 else 0 for d in doc_ids]))
            weights.append(np.full(len(rows), 1.0 / (len(queries) * max(len(rows), 1))))
        print(f"{name}: {len(queries)} development queries")
    return np.vstack(features), np.concatenate(labels), np.concatenate(weights)


def fit(features: np.ndarray, labels: np.ndarray, weights: np.ndarray) -> Reranker:
    mean, scale = features.mean(axis=0), features.std(axis=0)
    mean[0], scale[0] = 0.0, 1.0  # the bias column stays a constant 1
    scale[scale == 0] = 1.0
    # Balanced classes: the probability reads as "how much this looks like a fit", not as
    # the base rate of one fit among two hundred candidates.
    model = LogisticRegression(C=1.0, fit_intercept=False, max_iter=2000, class_weight="balanced")
    model.fit((features - mean) / scale, labels, sample_weight=weights * len(labels))
    ranker = Reranker(dict(zip(NAMES, model.coef_[0])), dict(zip(NAMES, mean)), dict(zip(NAMES, scale)))
    return calibrated(ranker, features, labels, weights)


def calibrated(ranker: Reranker, features: np.ndarray, labels: np.ndarray, weights: np.ndarray) -> Reranker:
    """Platt scaling on the same development rows, with the real share of fits among candidates."""
    logit = ranker.logit(features).reshape(-1, 1)
    platt = LogisticRegression(C=100.0, max_iter=1000).fit(logit, labels, sample_weight=weights * len(labels))
    ranker.calibration = (float(platt.coef_[0][0]), float(platt.intercept_[0]))
    return ranker


def main() -> None:
    encoder = encoder_or_none()
    reranker = fit(*training_rows(encoder))
    document = reranker.to_json() | {"encoder": getattr(encoder, "name", None)}
    WEIGHTS_FILES[encoder is not None].write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    for name, weight in zip(NAMES, reranker.weights):
        print(f"{name:>18} {weight:+.3f}")


if __name__ == "__main__":
    main()
