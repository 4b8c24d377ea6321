"""Text vectors at write time, so that the index builder and the readers never encode on the query path.

The write paths hand the texts they wrote to the host's VectorStore (vectors.py), which
encodes only texts it has never seen. An item saved through the item service is warmed
by `warm_item`; a file import or `seed generate` warms its rows with `warm_rows`, in
batches, with a progress callback. A failure is logged and never fails the write: the
index then encodes the text itself when it first reads it.

The store reaches the item service through a small port, not a parameter: `install(app)`
binds the app's store (`app.extensions["matching"].vectors`, None with MATCH_ENCODER=none)
around every request, so the services keep their signatures and never import Flask.
Outside a request (CLI, service tests) nothing is bound unless the caller binds it.
"""
from __future__ import annotations

import logging
import threading
from contextvars import ContextVar, Token
from typing import Callable, Iterable, Protocol

import numpy as np

from .columns import row_text

BATCH = 256         # distinct texts per store call: one progress step, one SQLite transaction per 256
log = logging.getLogger(__name__)


class TextVectors(Protocol):
    """What warming needs of matchmaker.matching.vectors.VectorStore."""

    def vectors(self, texts: list[str], progress: Callable[[int], None] | None = None) -> np.ndarray: ...


Provider = Callable[[], "TextVectors | None"]
_BOUND: ContextVar[Provider | None] = ContextVar("text_vectors", default=None)


def bind(provider: Provider) -> Token:
    """Make `provider()` the store that write paths warm in this context."""
    return _BOUND.set(provider)


def unbind(token: Token) -> None:
    _BOUND.reset(token)


def bound() -> TextVectors | None:
    provider = _BOUND.get()
    return provider() if provider is not None else None


def install(app) -> None:
    """Bind `app`'s vector store around each of its requests (hooks on the app object, no Flask import)."""
    def before() -> None:
        _BOUND.set(lambda: app.extensions["matching"].vectors)

    def after(_exc) -> None:
        _BOUND.set(None)

    app.before_request(before)
    app.teardown_request(after)


def record_text(record: dict) -> str:
    """The indexed text of an item as the services hold it: a stored item or a graph record with props."""
    return row_text(record.get("props") or record)


def warm_item(item: dict, store: TextVectors | None = None) -> bool:
    """Store the vector of one saved item's text; False when there is no store or it failed (logged)."""
    store = store if store is not None else bound()
    text = record_text(item)
    if store is None or not text:
        return False
    try:
        store.vectors([text])
    except Exception:  # noqa: BLE001 - the item is saved; the index encodes the text later if need be
        log.exception("text vector of item %s not stored", item.get("id"))
        return False
    return True


def distinct_texts(records: Iterable[dict]) -> list[str]:
    return list(dict.fromkeys(t for t in map(record_text, records) if t))


def warm_rows(store: TextVectors | None, records: Iterable[dict], progress: Callable[[int], None] | None = None,
              batch: int = BATCH) -> int:
    """Store the vectors of the records' distinct texts, `batch` at a time; `progress(n)` after each
    batch (n texts, known or new). Returns the texts handled; stops at the first failure (logged)."""
    if store is None:
        return 0
    texts, done = distinct_texts(records), 0
    try:
        for start in range(0, len(texts), batch):
            chunk = texts[start:start + batch]
            store.vectors(chunk)
            done += len(chunk)
            if progress:
                progress(len(chunk))
    except Exception:  # noqa: BLE001 - the rows are written; the index encodes what is missing later
        log.exception("text vectors stopped after %d of %d texts", done, len(texts))
    return done


def warm_rows_later(store: TextVectors | None, records: list[dict]) -> threading.Thread | None:
    """warm_rows in a daemon thread: an import made in a web request returns before its vectors are stored."""
    if store is None or not records:
        return None
    thread = threading.Thread(target=warm_rows, args=(store, list(records)), daemon=True, name="warm-vectors")
    thread.start()
    return thread
