"""Error texts on the pages, in the page's language.

Services and schemas speak English, and the JSON API sends their messages and field keys as
they are (a contract). Pages show them translated: a message the services mark with N_
through the catalogue, marshmallow's standard messages through the table below, and each
field under its form label. A text the catalogue does not know (one built with values) stays
as it is.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import get_translations, gettext

from ..errors import N_
from .labels import field_label

# marshmallow's standard messages (marshmallow.fields, marshmallow.validate) -> our msgids.
_MARSHMALLOW = [(re.compile(pattern), msgid) for pattern, msgid in [
    (r"Missing data for required field\.", N_("Required.")),
    (r"Field may not be null\.", N_("Required.")),
    (r"Unknown field\.", N_("This field is not expected here.")),
    (r"Not a valid (?:number|integer)\.", N_("Not a number.")),
    (r"Special numeric values \(nan or infinity\) are not permitted\.", N_("Not a number.")),
    (r"Not a valid date\.", N_("Not a date (YYYY-MM-DD).")),
    (r"Not a valid email address\.", N_("Not an email address.")),
    (r"Not a valid (?:string|boolean|list)\.|Invalid input type\.|Invalid value\.", N_("Not a valid value.")),
    (r"Must be greater than or equal to (?P<min>\S+)\.", N_("Must be at least %(min)s.")),
    (r"Must be less than or equal to (?P<max>\S+)\.", N_("Must be at most %(max)s.")),
    (r"Must be greater than or equal to (?P<min>\S+) and less than or equal to (?P<max>\S+)\.",
     N_("Must be between %(min)s and %(max)s.")),
    (r"Shorter than minimum length (?P<min>\d+)\.", N_("Use at least %(min)s characters.")),
    (r"Longer than maximum length (?P<max>\d+)\.", N_("Use at most %(max)s characters.")),
    (r"Length must be between (?P<min>\d+) and (?P<max>\d+)\.", N_("Use %(min)s to %(max)s characters.")),
    (r"Must be one of: (?P<choices>.*)\.", N_("Choose one of: %(choices)s.")),
]]


@dataclass(frozen=True)
class PageError:
    """What a page shows of an error: its message and, per field label, the reasons."""

    message: str
    fields: dict[str, list[str]]


def translated(message) -> str:
    """One message in the page's language (marshmallow's, or one the services mark), else as it is.

    A message the services built from a marked template (`N_("no enterprise with id '%(id)s'") % {...}`)
    is found by matching it against the catalogue's templates, so its values carry over into the
    translation; this also serves messages kept as text (an import report, a staged upload's preview)."""
    if not isinstance(message, str) or not message:
        return "" if message is None else str(message)
    for pattern, msgid in _MARSHMALLOW:
        match = pattern.fullmatch(message)
        if match:
            return gettext(msgid, **match.groupdict())
    exact = gettext(message)
    if exact != message:  # a fixed message of the catalogue: never re-read as a filled template
        return exact
    found = _template_of(message)
    return gettext(found[0], **found[1]) if found else message


_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
_templates: dict[int, list[tuple[re.Pattern, str]]] = {}


def _template_of(message: str) -> tuple[str, dict] | None:
    """(msgid, values) of the catalogue template this message was filled from, if any."""
    for pattern, msgid in _catalogue_templates():
        match = pattern.fullmatch(message)
        if match:
            return msgid, match.groupdict()
    return None


def _catalogue_templates() -> list[tuple[re.Pattern, str]]:
    """The current catalogue's msgids with %(name)s placeholders, as patterns (longest first, so the
    most specific template wins); built once per catalogue."""
    catalogue = getattr(get_translations(), "_catalog", {})
    key = id(catalogue)
    if key not in _templates:
        msgids = sorted((m for m in catalogue if isinstance(m, str) and "%(" in m), key=len, reverse=True)
        _templates[key] = [(_pattern(m), m) for m in msgids]
    return _templates[key]


def _pattern(msgid: str) -> re.Pattern:
    parts, last = [], 0
    for match in _PLACEHOLDER.finditer(msgid):
        parts.append(re.escape(msgid[last:match.start()].replace("%%", "%")))
        parts.append(f"(?P<{match.group(1)}>.+?)" if f"(?P<{match.group(1)}>" not in "".join(parts) else ".+?")
        last = match.end()
    parts.append(re.escape(msgid[last:].replace("%%", "%")))
    return re.compile("".join(parts), re.DOTALL)


def page_error(message, fields: dict | None = None) -> PageError:
    """A domain error's message and per-field reasons for a page (labels instead of field keys)."""
    shown: dict[str, list[str]] = {}
    for key, reasons in (fields or {}).items():
        shown.setdefault(field_label(str(key)), []).extend(translated(r) for r in reasons)
    return PageError(translated(message), shown)
