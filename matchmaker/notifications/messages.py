"""Notification texts: a message key (an English msgid) plus params, rendered when read.

Stored texts never carry a language: the page renders each notification through the reader's
catalogue, and the JSON API in English. A param `x` may come with `x_en`, its English form
(a firm's English name), which English rendering prefers.
"""
from __future__ import annotations

import json
from typing import Callable

from ..errors import N_

DEMAND_ALERT = "demand_alert"

TITLES = {
    DEMAND_ALERT: N_("New demand from %(leader)s: %(demand)s fits your %(supply)s"),
}

Translate = Callable[[str], str]


def english(msgid: str) -> str:
    return msgid


def params_of(note: dict) -> dict:
    """A stored notification's params as a dict (an unreadable value becomes {})."""
    try:
        params = json.loads(note.get("params") or "{}")
    except ValueError:
        return {}
    return params if isinstance(params, dict) else {}


def render_title(note: dict, translate: Translate = english, lang: str = "en") -> str:
    """The notification's title in the reader's language: `translate` is the catalogue's gettext."""
    params = _in_language(params_of(note), lang)
    text = translate(note.get("title_key") or "")
    try:
        return text % params
    except (KeyError, TypeError, ValueError):
        return text  # a key stored by a newer version with params this one does not know


def _in_language(params: dict, lang: str) -> dict:
    chosen = {k: v for k, v in params.items() if not k.endswith("_en")}
    if lang == "en":
        chosen.update({k[:-3]: v for k, v in params.items() if k.endswith("_en") and v})
    return chosen
