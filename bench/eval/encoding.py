"""The encoder for evaluation runs: the platform's own, or none when it cannot load."""
from __future__ import annotations


def encoder_or_none():
    try:
        from matchmaker.matching.encoder import default_encoder
    except ImportError:
        return None
    return default_encoder()
