"""`backup FILE`: the whole graph (every node with its labels and properties, every relationship,
the schema version) and the persisted text vectors, into one archive (archive.py)."""
from __future__ import annotations

import json
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from graph import backup as graph_backup
from graph.db import GraphDB
from graph.schema import current_version

from .archive import write_archive

NODES, RELATIONSHIPS = "graph/nodes.jsonl", "graph/relationships.jsonl"
Progress = Callable[[int], None]


@dataclass(frozen=True)
class BackupReport:
    path: Path
    schema_version: int
    nodes: int
    relationships: int
    vector_files: list[str]


class JsonLines:
    """The export's sink: one JSON object per line, nodes and relationships in two files."""

    def __init__(self, folder: Path, progress: Progress | None):
        self.nodes_file = open(folder / "nodes.jsonl", "w", encoding="utf-8")
        self.relationships_file = open(folder / "relationships.jsonl", "w", encoding="utf-8")
        self.nodes = self.relationships = 0
        self.progress = progress

    def node(self, record: dict) -> None:
        self.nodes += 1
        self._write(self.nodes_file, record)

    def relationship(self, record: dict) -> None:
        self.relationships += 1
        self._write(self.relationships_file, record)

    def close(self) -> None:
        self.nodes_file.close()
        self.relationships_file.close()

    def _write(self, fh, record: dict) -> None:
        # No `default=`: a value JSON cannot hold (a date type, bytes) fails the backup loudly
        # rather than coming back as a string.
        fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        if self.progress:
            self.progress(1)


def vector_files(index_dir: Path) -> list[Path]:
    """The persisted text vectors of every encoder used on this host (matchmaker/matching/vectors.py)."""
    return sorted(Path(index_dir).glob("vectors-*.sqlite3"))


def backup(db: GraphDB, path: Path, index_dir: Path, progress: Progress | None = None) -> BackupReport:
    path = Path(path).resolve()
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=path.parent) as tmp:
        folder = Path(tmp)
        sinks: list[JsonLines] = []

        def start() -> JsonLines:  # a retried read starts both files again
            for old in sinks:
                old.close()
            sinks.append(JsonLines(folder, progress))
            return sinks[-1]

        sink = graph_backup.export_graph(db, start)
        sink.close()
        members = {NODES: folder / "nodes.jsonl", RELATIONSHIPS: folder / "relationships.jsonl"}
        for file in vector_files(index_dir):
            members[f"vectors/{file.name}"] = _snapshot(file, folder / file.name)
        version = current_version(db)
        write_archive(path, members, {"created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                                      "schema_version": version, "nodes": sink.nodes,
                                      "relationships": sink.relationships})
    return BackupReport(path, version, sink.nodes, sink.relationships, [n for n in members if n.startswith("vectors/")])


def _snapshot(source: Path, target: Path) -> Path:
    """A consistent copy of a SQLite file that workers may be writing (SQLite's online backup)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()
    return target
