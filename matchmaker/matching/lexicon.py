"""The bilingual trade-term lexicon (seeds/lexicon/trade_terms.yaml) as concept tags of a text.

A text mentioning any term of a group carries that group's concept (`磁钢` and
`NdFeB magnet` both carry the NdFeB-magnet concept), so the lexical index
meets synonyms, abbreviations and translations that share no characters.
A narrower group also carries its broader groups' concepts, more weakly.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml

from ..config import PROJECT_DIR
from .analysis import normalize

LEXICON_FILE = PROJECT_DIR / "seeds" / "lexicon" / "trade_terms.yaml"


class Lexicon:
    def __init__(self, groups: list[dict]):
        self._group_of: dict[str, str] = {}
        self._broader: dict[str, list[str]] = {}
        self.terms: dict[str, list[str]] = {}   # concept key -> every term of its group, as written
        self._abbreviations: set[str] = set()    # normalised terms written in capitals (`CHP`, `BMS`)
        for group in groups:
            if not (group.get("zh") or group.get("en")):
                continue
            key = normalize(str((group.get("zh") or group.get("en"))[0]))
            self.terms[key] = [str(t) for t in [*(group.get("zh") or []), *(group.get("en") or [])]]
            ambiguous = {normalize(str(t)) for t in group.get("ambiguous") or []}
            for term in [*(group.get("zh") or []), *(group.get("en") or [])]:
                if _abbreviation(str(term)):
                    self._abbreviations.add(normalize(str(term)))
                term = normalize(str(term))
                if term and term not in ambiguous:
                    self._group_of.setdefault(term, key)
            self._broader[key] = [normalize(str(b)) for b in group.get("broader") or []]
        # Per first character, the distinct term lengths, longest first.
        lengths: dict[str, set[int]] = {}
        for term in self._group_of:
            lengths.setdefault(term[0], set()).add(len(term))
        self._lengths = {ch: sorted(found, reverse=True) for ch, found in lengths.items()}

    def concepts(self, text: str, cased: str | None = None) -> list[str]:
        """Concept keys named in a normalised text, in order of appearance, without repeats.

        A left-to-right scan: at each position the longest term starting there wins and the
        scan goes on after it (what a regex alternation of every term, longest first, does,
        at a small part of its cost: only the distinct term lengths of the position's character
        are tried, and only where a word may start).
        Latin edges of a term must fall on word boundaries (`pa` is not found in `pack`).
        With `cased`, the same text before lower-casing (`cased_text`), an abbreviation counts only
        where it is written in one case: `CHP` or `chp` is combined heat and power, `ChP` (the
        Chinese Pharmacopoeia) is not; `SOC` is not `SoC`."""
        found: dict[str, None] = {}
        i, n = 0, len(text)
        while i < n:
            step = 1
            if i and _latin(text[i]) and _latin(text[i - 1]):
                i += 1  # inside a Latin word: no term starts here
                continue
            for length in self._lengths.get(text[i], ()):
                term = text[i:i + length]
                if (len(term) == length and term in self._group_of and _on_boundaries(text, i, length)
                        and self._case_fits(term, cased, i)):
                    found.setdefault(self._group_of[term])
                    step = length
                    break
            i += step
        return list(found)

    def _case_fits(self, term: str, cased: str | None, start: int) -> bool:
        if not cased or term not in self._abbreviations:
            return True
        written = cased[start:start + len(term)]
        return written.isupper() or written.islower()

    def broader(self, concepts: list[str]) -> list[str]:
        """The broader concepts of these (named by a term of a group, or left out when unknown)."""
        out: dict[str, None] = {}
        for concept in concepts:
            for term in self._broader.get(concept, ()):
                parent = self._group_of.get(term)
                if parent and parent not in concepts:
                    out.setdefault(parent)
        return list(out)

    def __len__(self) -> int:
        return len(set(self._group_of.values()))

    def alternatives(self, word: str, most_groups: int = 3) -> list[str]:
        """Other ways to write a searched word, in both languages (normalised, without the word itself).

        A word that is a term gives its group's terms (`磁钢` -> `ndfeb magnet` ...). Otherwise a word
        inside the terms of at most `most_groups` groups gives theirs (`ignition` -> `点火线圈`, `ignition
        coil`); a word in more groups is too general to widen a search with (`module`)."""
        word = normalize(word)
        if not word:
            return []
        exact = self._group_of.get(word)
        keys = [exact] if exact else self._groups_containing(word)
        if not keys or len(keys) > most_groups:
            return []
        return [t for t in dict.fromkeys(normalize(t) for key in keys for t in self.terms[key]) if t != word]

    def search_words(self, query: str, most: int = 5) -> list[list[str]]:
        """A list search's words, each with its alternatives: an item must contain one of each.

        Consecutive words that together are a term stay one (`ignition coil` -> [`ignition coil`,
        `点火线圈`]), so a Chinese item is not asked to contain the English `coil` as well."""
        words, out, i = normalize(query).split(), [], 0
        while i < len(words) and len(out) < most:
            for span in range(min(4, len(words) - i), 0, -1):
                phrase = " ".join(words[i:i + span])
                if span == 1 or phrase in self._group_of:
                    out.append([phrase, *self.alternatives(phrase)])
                    i += span
                    break
        return out

    def _groups_containing(self, word: str) -> list[str]:
        latin = all(_latin(ch) or ch in "-." for ch in word)
        if latin and len(word) < 4 or not latin and len(word) < 2:
            return []  # too short to stand for a product
        found: dict[str, None] = {}
        for term, key in self._group_of.items():
            if (word in term.split() if latin else word in term):
                found.setdefault(key)
        return list(found)


def _abbreviation(term: str) -> bool:
    """A term written in capitals, e.g. `CHP`, `BMS`, `IGBT` (mixed-case `SoC` is not one)."""
    return 2 <= len(term) <= 6 and term.isascii() and term.isalnum() and term.isupper()


def cased_text(raw: str | None) -> str:
    """`analysis.normalize` without the lower-casing: the same positions, the writer's case."""
    text = " ".join(unicodedata.normalize("NFKC", raw or "").split())
    return text if len(text) == len(text.lower()) else ""


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _on_boundaries(text: str, start: int, length: int) -> bool:
    end = start + length
    if _latin(text[start]) and start > 0 and _latin(text[start - 1]):
        return False
    return not (_latin(text[end - 1]) and end < len(text) and _latin(text[end]))


@lru_cache(maxsize=4)
def load_lexicon(path: Path = LEXICON_FILE) -> Lexicon:
    if not path.exists():
        return Lexicon([])
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return Lexicon(document.get("groups") or [])
