"""The process's category classifier, with the officials' reviewed item texts as evidence.

Built from the taxonomy and the reviewed texts read from the graph once, then kept; it is
rebuilt when the taxonomy changes, every REFRESH_SECONDS (so a review made in another
worker counts within that time) and at once after a review in this process (`invalidate`).
A rebuild costs about 0.15 s: category profiles whose inputs did not change are reused.
"""
from __future__ import annotations

import threading
import time

from graph import category_suggestions as suggestion_repo
from graph.db import GraphDB

from .profile import item_text

REFRESH_SECONDS = 300.0
EXAMPLES_PER_CATEGORY = 50  # the newest reviewed texts of a category; older ones add little

_lock = threading.Lock()
_built: dict[int, tuple[tuple, float, object]] = {}   # id(db) -> (taxonomy key, built at, classifier)


def classifier_for(db: GraphDB, categories: list[dict], chains: list[dict]):
    """The current CategoryClassifier (matchmaker.services.classify) for this database."""
    from ..services.classify import CategoryClassifier

    key = _taxonomy_key(categories, chains)
    with _lock:
        cached = _built.get(id(db))
        if cached and cached[0] == key and time.monotonic() - cached[1] < REFRESH_SECONDS:
            return cached[2]
    chain_names = {c["id"]: [c.get("name_zh") or "", c.get("name_en") or "", *(c.get("aliases") or [])]
                   for c in chains}
    classifier = CategoryClassifier(categories, examples=reviewed_texts(db), chains=chain_names)
    with _lock:
        _built[id(db)] = (key, time.monotonic(), classifier)
    return classifier


def invalidate(db: GraphDB) -> None:
    """A review was just stored: the next classification rereads the reviewed texts."""
    with _lock:
        _built.pop(id(db), None)


def reviewed_texts(db: GraphDB) -> dict[str, list[str]]:
    examples: dict[str, list[str]] = {}
    for row in suggestion_repo.reviewed_examples(db):
        texts = examples.setdefault(row["category_id"], [])
        if len(texts) < EXAMPLES_PER_CATEGORY:
            texts.append(item_text(row.get("name"), row.get("description")))
    return examples


def _taxonomy_key(categories: list[dict], chains: list[dict]) -> tuple:
    return (tuple((c["id"], c.get("name_zh"), c.get("name_en"), tuple(c.get("keywords") or []),
                   c.get("chain_id")) for c in categories),
            tuple((c["id"], c.get("name_zh"), c.get("name_en"), tuple(c.get("aliases") or [])) for c in chains))
