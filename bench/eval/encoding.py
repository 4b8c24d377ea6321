"""The encoder for evaluation runs: the platform's own, or none with MATCH_ENCODER=none."""
from __future__ import annotations

import os

from matchmaker.matching.encoder_choice import encoder_from_config


def encoder_or_none():
    return encoder_from_config(os.environ.get("MATCH_ENCODER", "use"))
