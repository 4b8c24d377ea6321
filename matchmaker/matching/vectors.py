"""Text vectors, computed once per (model, text) and kept in one SQLite file per host.

The key is a hash of the model name and the exact text, so an edit that changes
an item's text gets a new vector and an edit that does not reuses the old one; a
restart, a new worker or an index rebuild never re-encodes a known text. A second
web host copies `vectors.sqlite3` (see docs/ARCHITECTURE.md) instead of encoding
every item again. SQLite serialises the writers of all workers on this host.
"""
from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path
from typing import Callable, Protocol

import numpy as np

BATCH = 256
# One role for every text (demands and items are both product lines), so a stored vector
# serves either direction: suppliers for a demand, opportunities for an SME. Encoders with
# query/passage prefixes get the symmetric "query" one.
ROLE = "query"
# The encoder reads a text's first characters only: a product line's name and the start of
# its description carry its meaning, and the encoder's cost grows with the length (the
# lexical index reads the whole text).
ENCODED_CHARS = 160


def encoded_text(text: str) -> str:
    return text[:ENCODED_CHARS]


class TextEncoder(Protocol):
    name: str
    dim: int

    def encode(self, texts: list[str], batch_size: int = 64, role: str = ROLE) -> np.ndarray: ...


def text_key(model: str, text: str) -> bytes:
    return hashlib.blake2b(f"{model}\x00{text}".encode("utf-8"), digest_size=16).digest()


class VectorStore:
    def __init__(self, path: Path, encoder: TextEncoder):
        self.path, self.encoder = Path(path), encoder
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        with self._connection() as con:
            con.execute("CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vector BLOB NOT NULL)")

    def _connection(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA synchronous=NORMAL")
            self._local.con = con
        return con

    def vectors(self, texts: list[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """float16 vectors of `texts` (rows in order), encoding only the texts never seen."""
        texts = [encoded_text(t) for t in texts]
        keys = [text_key(self.encoder.name, t) for t in texts]
        found = self._read(keys)
        missing = sorted({i for i, k in enumerate(keys) if k not in found}, key=lambda i: keys[i])
        unique: dict[bytes, int] = {}
        for i in missing:
            unique.setdefault(keys[i], i)
        order = list(unique.items())
        for start in range(0, len(order), BATCH):
            chunk = order[start:start + BATCH]
            encoded = self.encoder.encode([texts[i] for _, i in chunk], role=ROLE).astype(np.float16)
            self._write([(k, v.tobytes()) for (k, _), v in zip(chunk, encoded)])
            found.update({k: v for (k, _), v in zip(chunk, encoded)})
            if progress:
                progress(len(chunk))
        out = np.zeros((len(texts), self.encoder.dim), dtype=np.float16)
        for i, key in enumerate(keys):
            out[i] = found[key]
        return out

    def _read(self, keys: list[bytes]) -> dict[bytes, np.ndarray]:
        found, con = {}, self._connection()
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), 500):
            chunk = unique[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for key, blob in con.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk):
                found[bytes(key)] = np.frombuffer(blob, dtype=np.float16)
        return found

    def _write(self, rows: list[tuple[bytes, bytes]]) -> None:
        con = self._connection()
        con.execute("BEGIN IMMEDIATE")
        con.executemany("INSERT OR IGNORE INTO vectors (key, vector) VALUES (?, ?)", rows)
        con.execute("COMMIT")

    def count(self) -> int:
        return self._connection().execute("SELECT count(*) FROM vectors").fetchone()[0]
