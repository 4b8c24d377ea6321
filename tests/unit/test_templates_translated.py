"""No English text is written into a template outside `_()`: every word a person reads goes
through the catalogue (code samples in <pre>/<code> excepted: they are the API's own words)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_CODE = re.compile(r"<(pre|code|script|style)\b.*?</\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>", re.S)
_SHOWN_ATTRIBUTES = re.compile(r'\b(placeholder|title|aria-label|alt)="([^"]*)"')
_ENGLISH = re.compile(r"[A-Za-z]{2,}")
# Not words of a language: units, formats and names the same in Chinese and English text.
_SAME_IN_BOTH = {"CNY", "XLSX", "CSV", "API", "SVG", "PDF", "https", "http", "ISO9001", "IATF16949", "JSON",
                 "YYYY", "MM", "DD", "OpenAPI", "Bearer", "English", "EN", "ISO", "IATF",
                 "pcs"}  # pcs: a unit people write in either language (the unit field is free text)


def _english(text: str) -> list[str]:
    return [w for w in _ENGLISH.findall(text) if w not in _SAME_IN_BOTH]


@pytest.mark.parametrize("path", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_template_text_goes_through_the_catalogue(path):
    source = path.read_text(encoding="utf-8")
    shown = [value for _, value in _SHOWN_ATTRIBUTES.findall(_JINJA.sub(" ", source))]
    body = _TAG.sub(" ", _CODE.sub(" ", _JINJA.sub(" ", source)))
    words = [*_english(body), *(w for value in shown for w in _english(value))]
    assert not words, f"{path.name}: English outside _(): {sorted(set(words))[:12]}"
