"""The item fields copied from the owning enterprise, defined once for every write path.

Lists filter items on their firm's locality, tier and certifications and find them by
the firm's names without a join, so each item keeps copies of those. Every path that
writes either side (item create and upsert, enterprise upsert, recompute-local) sets
them with this one fragment, with the enterprise bound to `e` and the item to `i`.
"""
from __future__ import annotations

from typing import LiteralString

# (item property, Cypher expression); {src} is where the item's own name and
# description are read: the row being written (r.props) or the stored item (i).
_COPIES: tuple[tuple[str, str], ...] = (
    ("enterprise_id", "e.id"),
    ("local", "e.local"),
    ("tier", "e.tier"),
    ("enterprise_certifications", "e.certifications"),
    # The text a list query searches: the item's words and its firm's names, lower-cased.
    ("search", "toLower(coalesce({src}.name, '') + ' ' + coalesce({src}.description, '') + ' ' + "
               "coalesce(e.name, '') + ' ' + coalesce(e.name_en, ''))"),
)
COPIED_FIELDS = tuple(name for name, _ in _COPIES)


def set_copies(src: str = "i") -> LiteralString:
    """`i.local = e.local, ...` for a SET clause."""
    return ", ".join(f"i.{name} = {expr.format(src=src)}" for name, expr in _COPIES)  # type: ignore[return-value]


def copies_map(src: str = "r.props") -> LiteralString:
    """`local: e.local, ...` for the property map of a CREATE pattern."""
    return ", ".join(f"{name}: {expr.format(src=src)}" for name, expr in _COPIES)  # type: ignore[return-value]
