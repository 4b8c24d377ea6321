"""Text analysis for matching: the lexical terms of a product line, its model codes, its script.

Chinese has no spaces, so a CJK run gives its characters and overlapping
bigrams; Latin text gives words, their character 3-grams (spelling variants,
plural forms, glued words) and model codes with separators removed
(`FF450R12ME4`, `dsl-ra200w` = `dslra200w`). Codes and spec values stay
decisive: a code token is rare, so BM25 gives it a high weight.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_LATIN_WORD = re.compile(r"[a-z0-9µμ℃°%]+(?:[.\-/][a-z0-9µμ]+)*")
_HAS_DIGIT = re.compile(r"\d")
_HAS_ALPHA = re.compile(r"[a-z]")
_SEPARATORS = re.compile(r"[.\-/]")
_QUANTITY = re.compile(r"^(\d+(?:\.\d+)?)([a-zµμ℃°%]{1,4})$")  # 3.2mm, 1200v, 50kw: number and unit


def normalize(text: str | None) -> str:
    """NFKC (full-width to half-width), lower case, one space between words."""
    return " ".join(unicodedata.normalize("NFKC", text or "").lower().split())


def script(text: str) -> str:
    """'zh' when CJK characters make up at least a fifth of the letters, else 'en' (or '' for none)."""
    cjk = sum(len(run) for run in _CJK_RUN.findall(text))
    latin = sum(1 for ch in text if "a" <= ch <= "z")
    if cjk == 0 and latin == 0:
        return ""
    return "zh" if cjk * 5 >= cjk + latin else "en"


def model_codes(text: str) -> set[str]:
    """Tokens mixing letters and digits, at least 4 long, separators removed: part numbers and specs."""
    codes = set()
    for word in _LATIN_WORD.findall(_CJK_RUN.sub(" ", normalize(text))):
        compact = _SEPARATORS.sub("", word)
        if len(compact) >= 4 and _HAS_DIGIT.search(compact) and _HAS_ALPHA.search(compact):
            codes.add(compact)
    return codes


@dataclass(frozen=True)
class Analysed:
    text: str            # normalised text
    terms: list[str]     # lexical terms, repeated as often as they occur
    codes: frozenset[str]
    script: str


def analyse(raw: str | None) -> Analysed:
    text = normalize(raw)
    terms: list[str] = []
    for run in _CJK_RUN.findall(text):
        terms.extend(run if len(run) == 1 else ())
        terms.extend(run[i:i + 2] for i in range(len(run) - 1))
    latin = _CJK_RUN.sub(" ", text)
    for word in _LATIN_WORD.findall(latin):
        compact = _SEPARATORS.sub("", word)
        terms.append("w:" + compact)
        quantity = _QUANTITY.match(word)
        if quantity:
            terms.extend(("w:" + _SEPARATORS.sub("", quantity.group(1)), "w:" + quantity.group(2)))
        if len(compact) >= 4:
            padded = f"#{compact}#"
            terms.extend("g:" + padded[i:i + 3] for i in range(len(padded) - 2))
    return Analysed(text, terms, frozenset(model_codes(text)), script(text))
