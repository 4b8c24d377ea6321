"""The bilingual trade-term lexicon (seeds/lexicon/trade_terms.yaml) as concept tags of a text.

A text mentioning any term of a group carries that group's concept (`磁钢` and
`NdFeB magnet` both carry the NdFeB-magnet concept), so the lexical index
meets synonyms, abbreviations and translations that share no characters.
A narrower group also carries its broader groups' concepts, more weakly.
"""
from __future__ import annotations

import re
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
        for group in groups:
            key = normalize(str((group.get("zh") or group.get("en"))[0]))
            ambiguous = {normalize(str(t)) for t in group.get("ambiguous") or []}
            for term in [*(group.get("zh") or []), *(group.get("en") or [])]:
                term = normalize(str(term))
                if term and term not in ambiguous:
                    self._group_of.setdefault(term, key)
            self._broader[key] = [normalize(str(b)) for b in group.get("broader") or []]
        self._pattern = _alternation(self._group_of)

    def concepts(self, text: str) -> list[str]:
        """Concept keys named in a normalised text, in order of appearance, without repeats."""
        found: dict[str, None] = {}
        for match in self._pattern.finditer(text) if self._pattern else ():
            found.setdefault(self._group_of[match.group(0)])
        return list(found)

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


def _alternation(terms: dict[str, str]) -> re.Pattern | None:
    """One regex for every term, longest first; Latin edges must fall on word boundaries."""
    if not terms:
        return None
    parts = []
    for term in sorted(terms, key=len, reverse=True):
        head = r"(?<![a-z0-9])" if term[0].isascii() and term[0].isalnum() else ""
        tail = r"(?![a-z0-9])" if term[-1].isascii() and term[-1].isalnum() else ""
        parts.append(head + re.escape(term) + tail)
    return re.compile("|".join(parts))


@lru_cache(maxsize=4)
def load_lexicon(path: Path = LEXICON_FILE) -> Lexicon:
    if not path.exists():
        return Lexicon([])
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return Lexicon(document.get("groups") or [])
