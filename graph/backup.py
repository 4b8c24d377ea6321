"""The whole graph as plain records, out and back in: what `backup` and `restore` move.

A node is `{"key", "labels", "properties"}` and a relationship `{"type", "start", "end",
"properties"}`, where key, start and end are element ids of the database it was read from;
`create_nodes` answers the new element id of each key so relationships can be linked again.
Labels and types come from a backup file, not from this code: they are checked to be plain
names before they go into a statement (Cypher takes no parameters for them).
"""
from __future__ import annotations

import re
from typing import Any, Callable, LiteralString, Protocol

from neo4j import ManagedTransaction

from .db import GraphDB

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}")

_NODES: LiteralString = "MATCH (n) RETURN elementId(n) AS key, labels(n) AS labels, properties(n) AS properties"
_RELATIONSHIPS: LiteralString = (
    "MATCH (a)-[r]->(b) RETURN type(r) AS type, elementId(a) AS start, elementId(b) AS end, "
    "properties(r) AS properties")
_COUNT: LiteralString = "MATCH (n) RETURN count(n) AS n"
_DELETE_CHUNK: LiteralString = "MATCH (n) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS n"


class Sink(Protocol):
    def node(self, record: dict) -> None: ...

    def relationship(self, record: dict) -> None: ...


class BadName(ValueError):
    """A label or relationship type that is not a plain name."""


def export_graph(db: GraphDB, start: Callable[[], Sink]) -> Sink:
    """Stream every node, then every relationship, into `start()`'s sink, from one read transaction
    (one consistent snapshot). A retried transaction calls `start` again: a fresh sink each time."""
    return db.read(_export, start)


def count_nodes(db: GraphDB) -> int:
    return db.read(lambda tx: int(tx.run(_COUNT).single()["n"]))


def delete_everything(db: GraphDB, chunk: int = 10_000) -> None:
    """Every node and relationship, reference data included (constraints and indexes stay)."""
    while db.write(lambda tx: int(tx.run(_DELETE_CHUNK, limit=chunk).single()["n"])):
        pass


def create_nodes(db: GraphDB, labels: list[str], rows: list[dict]) -> dict[str, str]:
    """Create one node per row ({key, properties}) with these labels; returns key -> new element id."""
    statement = (f"UNWIND $rows AS row CREATE (n{_labels(labels)}) SET n = row.properties "
                 "RETURN row.key AS key, elementId(n) AS id")
    return db.write(_keyed, statement, rows)


def create_relationships(db: GraphDB, rel_type: str, rows: list[dict]) -> int:
    """Create one relationship per row ({start, end, properties}; element ids of this database)."""
    statement = ("UNWIND $rows AS row MATCH (a) WHERE elementId(a) = row.start "
                 "MATCH (b) WHERE elementId(b) = row.end "
                 f"CREATE (a)-[r:{check_name(rel_type)}]->(b) SET r = row.properties RETURN count(r) AS n")
    return db.write(lambda tx: int(tx.run(statement, rows=rows).single()["n"]))


def _export(tx: ManagedTransaction, start: Callable[[], Sink]) -> Sink:
    sink = start()
    for record in tx.run(_NODES):
        sink.node(record.data())
    for record in tx.run(_RELATIONSHIPS):
        sink.relationship(record.data())
    return sink


def _keyed(tx: ManagedTransaction, statement: str, rows: list[dict]) -> dict[str, str]:
    return {r["key"]: r["id"] for r in tx.run(statement, rows=rows)}  # type: ignore[arg-type]


def _labels(labels: list[str]) -> str:
    return "".join(f":{check_name(label)}" for label in labels)


def check_name(name: Any) -> str:
    """The name itself when it may stand as a label or type in a statement; else BadName."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise BadName(f"{name!r} is not a label or relationship type")
    return name
