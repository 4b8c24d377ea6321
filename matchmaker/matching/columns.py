"""Item rows (from the change feed) -> the match index's segment columns, and back for one row.

A segment holds, per item: the BM25 term weights (a documents x term-buckets
CSR row), the encoder's vector (float16), and the fields the re-ranker and the
structured parts read (firm, category, certifications, capacity, locality, tier).
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from .lexical import BM25Matrix
from .profile import TextProfile, item_text, profile
from .structured import TIER_RANK
from .trigrams import ITEM_CHARS

SCRIPTS = {"": 0, "zh": 1, "en": 2}
SCRIPT_NAMES = {v: k for k, v in SCRIPTS.items()}
TIERS = {v: k for k, v in TIER_RANK.items()}
_JOIN = "\x1f"  # unit separator: never typed in a certification or a concept


def row_text(row: dict) -> str:
    return item_text(row.get("name"), row.get("description"))


def encode_columns(rows: list[dict], vectors_of: Callable[[list[str]], np.ndarray] | None) -> dict:
    profiles = [profile(row_text(r)) for r in rows]
    bm25 = BM25Matrix.build([p.terms for p in profiles])
    columns = {
        "bm25": bm25.by_doc,
        "enterprise_id": [r.get("enterprise_id") or "" for r in rows],
        "category_id": [r.get("category_id") or "" for r in rows],
        "chain_id": [r.get("chain_id") or "" for r in rows],
        "unit": [r.get("unit") or "" for r in rows],
        "certs": [_JOIN.join(_certificates(r)) for r in rows],
        "text": [p.text[:ITEM_CHARS] for p in profiles],  # normalised, for the 3-gram share
        "codes": [_JOIN.join(sorted(p.codes)) for p in profiles],
        "concepts": [_JOIN.join(p.concepts) for p in profiles],
        "broader": [_JOIN.join(p.broader) for p in profiles],
        "script": np.array([SCRIPTS[p.script] for p in profiles], dtype=np.int8),
        "local": np.array([bool(r.get("local")) for r in rows], dtype=np.int8),
        "tier": np.array([TIER_RANK.get(r.get("tier") or "none", 0) for r in rows], dtype=np.int8),
        "amount": np.array([_number(r.get("capacity", r.get("quantity"))) for r in rows], dtype=np.float64),
        "prefer_local": np.array([r.get("prefer_local") is not False for r in rows], dtype=np.int8),
    }
    if vectors_of is not None:
        columns["vectors"] = vectors_of([row_text(r) for r in rows]).astype(np.float16)
    return columns


def _certificates(row: dict) -> list[str]:
    """A supply item's certificates with its firm's; a demand item's required ones."""
    if row.get("kind") == "demand":
        return list(row.get("required_certifications") or [])
    return [*(row.get("certifications") or []), *(row.get("enterprise_certifications") or [])]


def _number(value) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else np.nan


def split(value: str) -> list[str]:
    return value.split(_JOIN) if value else []


def text_profile_of(text: str, codes: str, concepts: str, broader: str, script: int) -> TextProfile:
    """What the re-ranker needs of a stored row's text, without its terms (not needed after retrieval)."""
    return TextProfile(text, [], frozenset(split(codes)), tuple(split(concepts)), tuple(split(broader)),
                       SCRIPT_NAMES[int(script)])


def values_at(column, rows: list[int]) -> list:
    """Many rows of one column in one read: a mapped string column, a mapped array or a delta list."""
    if hasattr(column, "take"):
        return column.take(rows)
    if isinstance(column, np.ndarray):
        return column[np.asarray(rows, dtype=np.int64)].tolist()
    return [column[r] for r in rows]
