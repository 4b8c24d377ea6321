"""The whole graph as comparable values: every node and relationship by content, not by element id."""
from __future__ import annotations

import json
from collections import Counter

from graph.backup import export_graph

# Counters a restore moves on, to make list and match indexes rebuild (graph/maintenance.py
# new_generation): the change number, and the catalog generation (its node made on first use).
BUMPED = {("Meta", "changes"): "seq"}
LEFT_OUT = {("Meta", "catalog")}


class _Collect:
    def __init__(self):
        self.nodes, self.relationships = [], []

    def node(self, record):
        self.nodes.append(record)

    def relationship(self, record):
        self.relationships.append(record)


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def graph_state(db, ignore: frozenset[str] = frozenset()) -> tuple[Counter, Counter]:
    """(nodes, relationships) as multisets: a node is its labels and properties (but those named in
    `ignore`), a relationship its type, properties and both ends' content."""
    seen = export_graph(db, _Collect)
    content = {}
    for node in seen.nodes:
        props = {k: v for k, v in node["properties"].items() if k not in ignore}
        if (node["labels"][0], props.get("id")) in LEFT_OUT:
            continue
        bumped = BUMPED.get((node["labels"][0], props.get("id")))
        if bumped:
            props.pop(bumped, None)
        content[node["key"]] = _canonical([sorted(node["labels"]), props])
    nodes = Counter(content.values())
    relationships = Counter(_canonical([r["type"], content[r["start"]], content[r["end"]], r["properties"]])
                            for r in seen.relationships)
    return nodes, relationships
