"""The columns of each file kind, as fixed by DATA-FORMAT.md, and header matching."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from ..errors import N_
from .errors import FileFormatError

__all__ = ["Column", "COLUMNS", "KINDS", "columns_for", "match_header", "normalise_name"]

ColumnType = Literal["id", "text", "list", "certs", "number", "bool", "date", "enum"]


@dataclass(frozen=True)
class Column:
    """One column: its name in files, whether it is required, and how to parse it."""

    name: str
    required: bool = False
    type: ColumnType = "text"
    choices: tuple[str, ...] = ()
    default: str | bool | None = None
    # Other spellings accepted for an enum value, keyed by their normalised form.
    aliases: dict[str, str] = field(default_factory=dict, compare=False)


_TIER_LABELS = {
    "无": "none", "创新型中小企业": "innovative", "专精特新": "srsn",
    "专精特新中小企业": "srsn", "专精特新小巨人": "little_giant", "小巨人": "little_giant",
    "单项冠军": "champion", "制造业单项冠军": "champion",
}

COLUMNS: dict[str, list[Column]] = {
    "enterprises": [
        Column("id", True, "id"), Column("name", True), Column("name_en"),
        Column("role", True, "enum", ("leader", "sme", "other")),
        Column("tier", False, "enum",
               ("none", "innovative", "srsn", "little_giant", "champion"),
               "none", _TIER_LABELS),
        Column("region", True), Column("chains", False, "list"),
        Column("certifications", False, "certs"),
        Column("annual_procurement", False, "number"),
        Column("local_procurement", False, "number"), Column("description"),
    ],
    "supply": [
        Column("id", True, "id"), Column("enterprise_id", True, "id"),
        Column("name", True), Column("description"), Column("category"),
        Column("chain"), Column("capacity", False, "number"), Column("unit"),
        Column("certifications", False, "certs"),
        Column("status", False, "enum", ("published", "draft"), "published"),
    ],
    "demand": [
        Column("id", True, "id"), Column("enterprise_id", True, "id"),
        Column("name", True), Column("description"), Column("category"),
        Column("chain"), Column("quantity", False, "number"), Column("unit"),
        Column("unit_price", False, "number"),
        Column("required_certifications", False, "list"),
        Column("prefer_local", False, "bool", default=True),
        Column("current_supplier_region"), Column("deadline", False, "date"),
        Column("status", False, "enum", ("published", "draft", "closed"), "published"),
    ],
}
KINDS = tuple(COLUMNS)  # the same as matchmaker.rules.vocab.FILE_KINDS (tests/unit/test_rules.py)


def columns_for(kind: str) -> list[Column]:
    """The columns of *kind*; a programming error (ValueError) for an unknown kind."""
    try:
        return COLUMNS[kind]
    except KeyError:
        raise ValueError(f"unknown file kind {kind!r}; expected one of {KINDS}") from None


def normalise_name(name: str) -> str:
    """Header cell as compared: NFKC, BOM and surrounding space removed, lower case."""
    return unicodedata.normalize("NFKC", name).replace("\ufeff", "").strip().casefold()


def match_header(kind: str, header: list[str]) -> tuple[dict[str, str], list[str]]:
    """Map each known column name to the header cell naming it; warn about the rest.

    Raises :class:`FileFormatError` for duplicated or missing required columns.
    """
    known = {c.name for c in columns_for(kind)}
    found: dict[str, str] = {}
    duplicates: list[str] = []
    warnings: list[str] = []
    for cell in header:
        key = normalise_name(cell)
        if key in found:
            duplicates.append(cell.strip())
        elif key in known:
            found[key] = cell
        else:
            warnings.append(N_("unknown column '%(column)s' ignored") % {"column": cell.strip()})
    warnings = list(dict.fromkeys(warnings))
    if duplicates:
        raise FileFormatError(N_("duplicate columns in row 1: %(columns)s")
                              % {"columns": ", ".join(f"'{d}'" for d in dict.fromkeys(duplicates))})
    missing = [c.name for c in columns_for(kind) if c.required and c.name not in found]
    if missing:
        raise FileFormatError(N_("missing required columns in row 1: %(missing)s; the file needs %(required)s")
                              % {"missing": ", ".join(missing), "required": ", ".join(_required(kind))})
    return found, warnings


def _required(kind: str) -> list[str]:
    return [c.name for c in columns_for(kind) if c.required]
