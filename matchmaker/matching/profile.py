"""The text profile of an item or a demand: what every matching signal reads from its text."""
from __future__ import annotations

from dataclasses import dataclass

from .analysis import analyse
from .lexicon import Lexicon, cased_text, load_lexicon

CONCEPT = "k:"


@dataclass(frozen=True)
class TextProfile:
    text: str                  # normalised name and description
    terms: list[str]           # lexical terms, concept tags included
    codes: frozenset[str]      # model numbers and spec codes
    concepts: tuple[str, ...]  # lexicon concepts named in the text
    broader: tuple[str, ...]   # their broader concepts
    script: str                # 'zh', 'en' or ''


def item_text(name: str | None, description: str | None) -> str:
    """The one text of an item that is indexed, encoded and shown: its name, then its description."""
    return " ".join(p.strip() for p in (name, description) if p and p.strip())


def profile(text: str, lexicon: Lexicon | None = None, document: bool = True) -> TextProfile:
    """Analyse a text. A document also carries its broader concepts, so that a query for
    `线束` meets a catalog line `汽车线束总成`; a query carries only what it names."""
    lexicon = lexicon or load_lexicon()
    analysed = analyse(text)
    concepts = lexicon.concepts(analysed.text, cased_text(text))
    broader = lexicon.broader(concepts)
    tags = [CONCEPT + c for c in concepts] + ([CONCEPT + b for b in broader] if document else [])
    return TextProfile(analysed.text, analysed.terms + tags, analysed.codes, tuple(concepts), tuple(broader),
                       analysed.script)
