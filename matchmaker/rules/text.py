"""Input hygiene for every text field: what can be stored, shown and exported safely.

One place for all paths (API, pages, files, CLI). Text is NFC-normalised; a lone surrogate,
a control character (NUL...), a line break in a one-line field or a bidi override in a name
is refused with a message naming what to remove; sizes are those a person needs.
"""
from __future__ import annotations

import re
import unicodedata

from ..errors import N_

UNSTORABLE = N_("contains a character that cannot be stored (a lone surrogate): type the text again")
CONTROL = N_("contains control characters (such as NUL): remove them")
ONE_LINE = N_("must be one line: remove tabs and line breaks")
BIDI = N_("contains text-direction override characters (U+202A to U+202E, U+2066 to U+2069): remove them")
REQUIRED = N_("required")
NOT_TEXT = N_("must be text")
TOO_LONG = {20: N_("too long: at most 20 characters"), 60: N_("too long: at most 60 characters"),
            64: N_("too long: at most 64 characters"),
            120: N_("too long: at most 120 characters"), 200: N_("too long: at most 200 characters"),
            5000: N_("too long: at most 5,000 characters")}

# Character ranges, kept as text so that the OpenAPI document states the same rules (patterns below).
_CONTROL_CHARS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"   # tab, LF and CR are line breaks, not this
_LINE_BREAK_CHARS = r"\t\n\r\u2028\u2029"
_BIDI_CHARS = r"\u202a-\u202e\u2066-\u2069"
_SURROGATE_CHARS = r"\ud800-\udfff"
_CONTROL, _LINE_BREAK = re.compile(f"[{_CONTROL_CHARS}]"), re.compile(f"[{_LINE_BREAK_CHARS}]")
_BIDI, _SURROGATE = re.compile(f"[{_BIDI_CHARS}]"), re.compile(f"[{_SURROGATE_CHARS}]")


def allowed_chars(*, multiline: bool = True, name: bool = False) -> str:
    """A regex class of the characters text_problem accepts (storable_problem: multiline, not name).

    Lone surrogates are refused too, but not named here: JSON Schema tools (schemathesis among them)
    drop a pattern with a \\ud800 range, and JSON text cannot carry one but as an escape anyway."""
    refused = _CONTROL_CHARS
    refused += ("" if multiline else _LINE_BREAK_CHARS) + (_BIDI_CHARS if name else "")
    return f"[^{refused}]"


STORABLE_PATTERN = f"^{allowed_chars()}*$"   # any text a request may carry (matchmaker.api.openapi states it)


def normalise(value):
    """NFC for a string (and for each string of a list or dict); anything else as it is."""
    if isinstance(value, str):
        return value if _SURROGATE.search(value) else unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items()}
    return value


def storable_problem(value: str) -> str | None:
    """Why any text (a password too) cannot be taken at all, or None."""
    if _SURROGATE.search(value):
        return UNSTORABLE
    if _CONTROL.search(value):
        return CONTROL
    return None


def text_schema(max_length: int, *, multiline: bool = False, name: bool = False) -> dict:
    """The JSON Schema of what text_problem accepts (blank is accepted: `run` skips it)."""
    return {"maxLength": max_length, "pattern": f"^{allowed_chars(multiline=multiline, name=name)}*$"}


def text_problem(value, max_length: int, *, multiline: bool = False, name: bool = False) -> str | None:
    """Why one field's text is refused, or None. `name`: shown as a name (no bidi overrides)."""
    if not isinstance(value, str):
        return NOT_TEXT
    problem = storable_problem(value)
    if problem:
        return problem
    if not multiline and _LINE_BREAK.search(value):
        return ONE_LINE
    if name and _BIDI.search(value):
        return BIDI
    if len(value) > max_length:
        return TOO_LONG[max_length]
    return None


def input_problems(data: dict) -> dict[str, list[str]]:
    """First line of defence for any parsed request: fields whose strings cannot be stored at all."""
    problems: dict[str, list[str]] = {}
    for key, value in data.items():
        for text in _strings(value):
            problem = storable_problem(text)
            if problem:
                problems[str(key)] = [problem]
                break
    return problems


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)


_LOCAL_PATH = re.compile(r"/(?![/\\])[^\s\x00-\x1f\x7f-\x9f\\]*")


def is_local_path(target: str | None) -> bool:
    """A path on this site (for redirects after sign-in): one leading '/', no scheme or host,
    and no whitespace, control character or backslash, which browsers drop or read as '/'
    ('/\\t/evil.example' would become '//evil.example')."""
    return bool(target) and _LOCAL_PATH.fullmatch(target) is not None
