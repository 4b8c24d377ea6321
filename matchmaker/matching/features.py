"""The evidence of one (demand, candidate item) pair, as the re-ranker's feature vector.

No signal is trusted alone: lexical scores mean most when the query names
model codes or shares the item's language, the encoder's similarity means
most across languages and for synonyms, and each is read relative to the
best candidate of the same query (how peaked the scores are), not only as
an absolute number. The share of the query's character 3-grams an item
contains keeps split and joined model numbers and brand fragments decisive
in English product lines, where word terms miss them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .profile import TextProfile
from .trigrams import ITEM_CHARS, trigram_share

_SEPARATORS = re.compile(r"[\s\-_/.]+")

NAMES = ("bias", "lexical", "lexical_rel", "semantic", "semantic_rel", "cross_language",
         "code_match", "code_conflict", "concept_match", "category", "category_known",
         "semantic_x_cross", "lexical_x_cross", "lexical_x_codes", "semantic_x_codes", "lexical_peak",
         "trigram_share")


@dataclass
class CandidateEvidence:
    """Arrays over the candidates of one query (same order everywhere)."""
    lexical: np.ndarray         # BM25 score / the query's self score
    semantic: np.ndarray        # cosine of the encoder's vectors
    profiles: list[TextProfile]  # each with its normalised text (the first trigrams.ITEM_CHARS suffice)
    category: np.ndarray        # taxonomy proximity 0..1
    category_known: np.ndarray  # 1 where both sides have a category


def feature_matrix(query: TextProfile, ev: CandidateEvidence) -> np.ndarray:
    n = len(ev.profiles)
    lexical = np.clip(ev.lexical, 0, 2.0)
    top_lex = float(lexical.max()) if n else 0.0
    lexical_rel = lexical / top_lex if top_lex > 0 else np.zeros(n)
    semantic_rel = ev.semantic - (float(ev.semantic.max()) if n else 0.0)
    cross = np.array([1.0 if query.script and p.script and p.script != query.script else 0.0
                      for p in ev.profiles])
    code_match, code_conflict = _codes(query, ev.profiles)
    concept = _concepts(query, ev.profiles)
    has_codes = 1.0 if query.codes else 0.0
    peak = _peak(lexical)
    columns = [np.ones(n), lexical, lexical_rel, ev.semantic, semantic_rel, cross, code_match, code_conflict,
               concept, ev.category, ev.category_known, ev.semantic * cross, lexical * cross,
               lexical * has_codes, ev.semantic * has_codes, np.full(n, peak) * lexical_rel,
               trigram_share(query.text, [p.text for p in ev.profiles])]
    return np.column_stack(columns).astype(np.float64)


def _codes(query: TextProfile, profiles: list[TextProfile]) -> tuple[np.ndarray, np.ndarray]:
    match, conflict = np.zeros(len(profiles)), np.zeros(len(profiles))
    if not query.codes:
        return match, conflict
    for i, p in enumerate(profiles):
        shared = _shared_codes(query.codes, p.codes, _SEPARATORS.sub("", p.text[:ITEM_CHARS]))
        match[i] = shared / len(query.codes)
        conflict[i] = 1.0 if p.codes and shared == 0 else 0.0
    return match, conflict


def _shared_codes(query_codes: frozenset[str], item_codes: frozenset[str], item_compact: str) -> int:
    """Codes in common, allowing a suffix variant (`pslx350h` ~ `pslx350`) and a code the item writes
    spaced or hyphenated (`xha1s` in `canon xh a1s`, `ff450r12me4` in `ff450 r12-me4`)."""
    return sum(1 for q in query_codes
               if q in item_codes or q in item_compact
               or any(len(c) >= 5 and (q.startswith(c) or c.startswith(q)) for c in item_codes))


def _concepts(query: TextProfile, profiles: list[TextProfile]) -> np.ndarray:
    if not query.concepts:
        return np.zeros(len(profiles))
    wanted = set(query.concepts)
    return np.array([len(wanted.intersection(p.concepts) | wanted.intersection(p.broader)) / len(wanted)
                     for p in profiles])


def _peak(lexical: np.ndarray) -> float:
    """How far the best lexical score stands above the second: 1 = one clear winner."""
    if len(lexical) < 2 or lexical.max() <= 0:
        return 0.0
    first, second = np.partition(-lexical, 1)[:2]
    return float((second - first) / -first) if first else 0.0
