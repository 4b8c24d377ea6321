"""Text features for Chinese and English: CJK character bigrams plus Latin words.

Chinese has no spaces, so whitespace tokens would make a whole phrase one
token; overlapping character bigrams (and single characters for one-char
runs) are a robust segmentation-free feature.
"""
from __future__ import annotations

import re
import unicodedata

_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[a-z0-9]+(?:[.\-][a-z0-9]+)*")


def normalize(text: str) -> str:
    """NFKC (full-width -> half-width) and lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def tokens(text: str) -> list[str]:
    """Bigrams of each CJK run and the Latin/number words of `text`."""
    text = normalize(text)
    out: list[str] = []
    for run in _CJK_RUN.findall(text):
        out.extend([run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)])
    out.extend(w for w in _WORD.findall(_CJK_RUN.sub(" ", text)) if len(w) > 1)
    return out
