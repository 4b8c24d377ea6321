"""Second stage: a logistic model over the pair features gives the probability that an item fits.

The weights are learned offline (bench/eval/train.py) on labelled pairs of the
development splits and shipped as data beside this module; evaluation runs on
splits the model never saw (make eval).
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from .features import NAMES

WEIGHTS_FILES = {True: Path(__file__).with_name("reranker.json"),           # with the encoder
                 False: Path(__file__).with_name("reranker-lexical.json")}  # MATCH_ENCODER=none


class Reranker:
    def __init__(self, weights: dict[str, float], mean: dict[str, float] | None = None,
                 scale: dict[str, float] | None = None, calibration: tuple[float, float] = (1.0, 0.0)):
        self.names = NAMES
        self.weights = np.array([weights.get(n, 0.0) for n in NAMES])
        self.mean = np.array([(mean or {}).get(n, 0.0) for n in NAMES])
        self.scale = np.array([(scale or {}).get(n, 1.0) or 1.0 for n in NAMES])
        # The model is fitted on balanced classes (it ranks well); a second fit maps its logit to
        # the real chance that a candidate fits (Platt scaling), so the fit grades mean what they say.
        self.calibration = calibration

    def logit(self, features: np.ndarray) -> np.ndarray:
        return ((features - self.mean) / self.scale) @ self.weights

    def fit_probability(self, features: np.ndarray) -> np.ndarray:
        a, b = self.calibration
        z = a * self.logit(features) + b
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def contributions(self, features: np.ndarray) -> np.ndarray:
        """Each feature's part of the logit, per candidate (for explanations)."""
        return ((features - self.mean) / self.scale) * self.weights

    def to_json(self) -> dict:
        return {"features": list(NAMES), "calibration": list(self.calibration),
                "weights": dict(zip(NAMES, self.weights.tolist())),
                "mean": dict(zip(NAMES, self.mean.tolist())), "scale": dict(zip(NAMES, self.scale.tolist()))}


@lru_cache(maxsize=2)
def load_reranker(with_encoder: bool = True) -> Reranker:
    document = json.loads(WEIGHTS_FILES[with_encoder].read_text(encoding="utf-8"))
    return Reranker(document["weights"], document.get("mean"), document.get("scale"),
                    tuple(document.get("calibration") or (1.0, 0.0)))
