"""Category inference: the taxonomy categories an item text most likely belongs to, with confidences.

Each category has a profile of weighted lexical terms (matchmaker.matching.analysis:
CJK bigrams, Latin words, their 3-grams) from its names and keywords, the trade-term
lexicon groups those name (so `磁钢` or `NdFeB magnet` reach a category whose keywords
say `钕铁硼`), its chain's names, and the texts of items officials confirmed or corrected
into it. A text scores each category by the inverse-category-frequency weight of the
terms they share, divided by what the text's terms could score at most (a term no category
has counts a little); a softmax with a "none of these" option turns the scores into
confidences (0..1, summing to at most 1). Its constants were fitted for calibration on
dev sets that exclude the demo data (bench/categorize_eval.py, docs/MATCHING.md).

>>> c = Categorizer([{"id": "nev.drive-motor", "chain_id": "nev", "name_zh": "驱动电机",
...                   "name_en": "Traction motors", "keywords": ["扁线电机"]}])
>>> c.rank("hairpin motor for EV")[0].category_id
'nev.drive-motor'
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from functools import lru_cache


from .analysis import analyse, normalize
from .lexicon import Lexicon, load_lexicon

CONCEPT = "k:"
# Field weights: names, keywords and reviewed item texts are direct evidence; a lexicon
# synonym a little less; chain names little (they tell the chain, not the category).
WEIGHTS = {"name": 1.0, "keyword": 1.0, "lexicon": 0.7, "chain": 0.3, "example": 1.0}
# A term's weight in one profile saturates at 1: a term repeated in a category's name and
# keywords says no more than once. Latin 3-grams (analysis.py) are left out: the grams of spec
# codes hit unrelated keywords. Both measured in docs/MATCHING.md, "Category inference".
CAP = 1.0
_GRAM = "g:"
TEMPERATURE = 12.0    # softmax sharpness over normalised scores (fitted, see module docs)
NONE_SCORE = 0.0     # the "none of these" option's normalised score (fitted with TEMPERATURE)
MIN_CONFIDENCE = 0.2  # below this the best category is not proposed
UNKNOWN = 0.25        # share of the top inverse frequency that a term no category has adds to the reach
CHAIN_PRIOR = 5.0     # a category of the item's own chain (when known) counts this many times more


@dataclass(frozen=True)
class Proposal:
    category_id: str
    confidence: float


class Categorizer:
    """Ranks categories for texts. `examples` maps category ids to reviewed item texts."""

    def __init__(self, categories: list[dict], lexicon_groups: list[dict] | None = None,
                 examples: dict[str, list[str]] | None = None, chains: dict[str, list[str]] | None = None,
                 temperature: float = TEMPERATURE, none_score: float = NONE_SCORE):
        self._lexicon = Lexicon(lexicon_groups) if lexicon_groups is not None else load_lexicon()
        self._chain_of = {c["id"]: c.get("chain_id") for c in categories}
        self.temperature, self.none_score = temperature, none_score
        profiles = {c["id"]: _profile(self._lexicon, *_profile_key(c, chains or {}, examples or {}))
                    for c in categories}
        frequency: dict[str, int] = defaultdict(int)
        for terms in profiles.values():
            for term in terms:
                frequency[term] += 1
        n = max(len(profiles), 1)
        self._unknown_idf = UNKNOWN * math.log(1 + n)
        self._idf = {t: math.log(1 + n / f) for t, f in frequency.items()}
        self._postings: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for category_id, terms in profiles.items():
            for term, weight in terms.items():
                self._postings[term].append((category_id, min(weight, CAP)))

    def rank(self, text: str, chain_id: str | None = None, limit: int = 3,
             prefer_chain: str | None = None) -> list[Proposal]:
        """The `limit` likeliest categories, best first; only `chain_id`'s when given, those of
        `prefer_chain` favoured (CHAIN_PRIOR). Confidences are in 0..1 and sum to at most 1;
        an empty or unknown text gives []."""
        scores, reach = self._scores(text, chain_id)
        if reach <= 0 or not scores:
            return []
        normalised = {c: s / reach for c, s in scores.items()}
        top = max(normalised.values())
        weights = {c: math.exp(self.temperature * (s - top)) for c, s in normalised.items()}
        if prefer_chain:
            weights = {c: w * (CHAIN_PRIOR if self._chain_of[c] == prefer_chain else 1.0) for c, w in weights.items()}
        total = sum(weights.values()) + math.exp(self.temperature * (self.none_score - top))
        ranked = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        return [Proposal(c, round(w / total, 4)) for c, w in ranked]

    def propose(self, text: str, chain_id: str | None = None) -> str | None:
        """The best category when its confidence reaches MIN_CONFIDENCE, else None."""
        ranked = self.rank(text, chain_id, limit=1)
        return ranked[0].category_id if ranked and ranked[0].confidence >= MIN_CONFIDENCE else None

    def _scores(self, text: str, chain_id: str | None) -> tuple[dict[str, float], float]:
        terms = self._terms(text)
        scores: dict[str, float] = defaultdict(float)
        reach = 0.0
        for term, count in terms.items():
            idf = self._idf.get(term)
            if idf is None:
                reach += self._unknown_idf * (1 + math.log(count)) * CAP
                continue
            strength = idf * (1 + math.log(count))
            reach += strength * CAP
            for category_id, weight in self._postings[term]:
                if chain_id is None or self._chain_of[category_id] == chain_id:
                    scores[category_id] += strength * weight
        return scores, reach

    def _terms(self, text: str) -> dict[str, int]:
        analysed = analyse(text)
        counts: dict[str, int] = defaultdict(int)
        for term in analysed.terms:
            if not term.startswith(_GRAM):
                counts[term] += 1
        for concept in self._lexicon.concepts(analysed.text):
            counts[CONCEPT + concept] += 1
        return counts


def _profile_key(category: dict, chains: dict[str, list[str]], examples: dict[str, list[str]]) -> tuple:
    """A category's profile inputs as a hashable key (profiles are memoised: a taxonomy of 250
    categories is re-profiled only where reviews changed)."""
    return ((category.get("name_zh") or "", category.get("name_en") or ""),
            tuple(str(k) for k in category.get("keywords") or []),
            tuple(chains.get(category.get("chain_id"), [])), tuple(examples.get(category["id"], [])))


@lru_cache(maxsize=4096)
def _profile(scanner: Lexicon, names: tuple[str, ...], keywords: tuple[str, ...], chain_names: tuple[str, ...],
             examples: tuple[str, ...]) -> dict[str, float]:
    """Term -> weight in one category's profile (before the CAP)."""
    fields = [*(("name", n) for n in names), *(("keyword", k) for k in keywords),
              *(("chain", n) for n in chain_names), *(("example", e) for e in examples)]
    own = normalize(" | ".join(text for kind, text in fields if kind in ("name", "keyword")))
    concepts = scanner.concepts(own)
    fields += [("lexicon", t) for c in concepts for t in scanner.terms[c]]
    profile: dict[str, float] = defaultdict(float)
    for kind, text in fields:
        for term in _term_set(text):
            profile[term] += WEIGHTS[kind]
    # Concept tags: the category's own names and keywords, and each reviewed text's.
    for concept in concepts:
        profile[CONCEPT + concept] += WEIGHTS["keyword"]
    for example in examples:
        for concept in scanner.concepts(normalize(example)):
            profile[CONCEPT + concept] += WEIGHTS["example"]
    return dict(profile)


@lru_cache(maxsize=1 << 16)
def _term_set(text: str) -> frozenset[str]:
    """A profile text's terms (memoised: profiles are rebuilt when reviews arrive)."""
    return frozenset(t for t in analyse(text).terms if not t.startswith(_GRAM))
