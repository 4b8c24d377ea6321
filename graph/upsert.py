"""Splitting a batch for upserts: new ids take a fast CREATE, the rest a MERGE."""
from __future__ import annotations


def split_new(records: list[dict], existing: set[str]) -> tuple[list[dict], list[dict]]:
    """(first rows of ids not in the graph, all other rows in order).

    A repeated id in one batch is created once and then updated by its later rows.
    """
    seen: set[str] = set()
    fresh, rest = [], []
    for record in records:
        if record["id"] in existing or record["id"] in seen:
            rest.append(record)
        else:
            seen.add(record["id"])
            fresh.append(record)
    return fresh, rest
