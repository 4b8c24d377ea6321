"""`restore FILE`: an archive (archive.py) back into the graph, and its text vectors into place.

Nothing is written until the whole file has been checked against its manifest. A database that
holds anything (even only the reference data of `init-db`) is refused unless `force`, which
deletes everything in it first: a restore never merges two histories.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from graph import backup as graph_backup
from graph.db import GraphDB
from graph.maintenance import new_generation
from graph.schema import LATEST, migrate

from ..errors import N_, Conflict, Invalid
from .archive import DamagedBackup, extract_verified
from .backup import NODES, RELATIONSHIPS

BATCH = 2000
Progress = Callable[[int], None]


@dataclass(frozen=True)
class RestoreReport:
    schema_version: int
    nodes: int
    relationships: int
    vector_files: list[str]
    migrations_applied: list[int]


def restore(db: GraphDB, path: Path, index_dir: Path, *, force: bool = False,
            progress: Progress | None = None, on_total: Callable[[int], None] | None = None) -> RestoreReport:
    with tempfile.TemporaryDirectory(prefix=".restore-") as tmp:
        folder = Path(tmp)
        manifest = extract_verified(Path(path), folder)
        _check_can_restore(db, manifest, force)
        _check_names(folder)
        if on_total:
            on_total(manifest["nodes"] + manifest["relationships"])
        graph_backup.delete_everything(db)
        migrate(db)  # constraints and indexes before the data (the statements are idempotent) ...
        graph_backup.delete_everything(db)  # ... but the data brings its own Meta nodes
        keys = _load_nodes(db, folder / NODES, progress)
        relationships = _load_relationships(db, folder / RELATIONSHIPS, keys, progress)
        applied = migrate(db)  # a backup of an older schema is brought up to this code's
        new_generation(db)  # item catalogs and match indexes built before the restore are stale
        vectors = _put_vectors(folder, manifest, Path(index_dir))
    return RestoreReport(manifest["schema_version"], len(keys), relationships, vectors, applied)


def _check_can_restore(db: GraphDB, manifest: dict, force: bool) -> None:
    if manifest["schema_version"] > LATEST:
        raise Invalid(f"the backup has schema version {manifest['schema_version']}, newer than this "
                      f"code's {LATEST}: restore it with the platform version that wrote it")
    if not force and graph_backup.count_nodes(db):
        raise Conflict(N_("The database is not empty: restore into an empty one, or use --force "
                          "to delete everything in it first."))


def _check_names(folder: Path) -> None:
    """Every label and type is a plain name: checked before anything is deleted."""
    try:
        for record in _records(folder / NODES):
            for label in record["labels"]:
                graph_backup.check_name(label)
        for record in _records(folder / RELATIONSHIPS):
            graph_backup.check_name(record["type"])
    except (graph_backup.BadName, KeyError, TypeError, ValueError) as exc:
        raise DamagedBackup(f"the backup holds a record this platform cannot restore: {exc}") from None


def _records(file: Path) -> Iterator[dict]:
    with open(file, encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def _load_nodes(db: GraphDB, file: Path, progress: Progress | None) -> dict[str, str]:
    """Create the nodes, a batch per label set; returns old element id -> new element id."""
    keys: dict[str, str] = {}
    pending: dict[tuple, list[dict]] = defaultdict(list)

    def flush(labels: tuple) -> None:
        rows = pending.pop(labels)
        keys.update(graph_backup.create_nodes(db, list(labels), rows))
        if progress:
            progress(len(rows))

    for record in _records(file):
        labels = tuple(record["labels"])
        pending[labels].append({"key": record["key"], "properties": record["properties"]})
        if len(pending[labels]) >= BATCH:
            flush(labels)
    for labels in list(pending):
        flush(labels)
    return keys


def _load_relationships(db: GraphDB, file: Path, keys: dict[str, str], progress: Progress | None) -> int:
    created = 0
    pending: dict[str, list[dict]] = defaultdict(list)

    def flush(rel_type: str) -> None:
        nonlocal created
        rows = pending.pop(rel_type)
        created += graph_backup.create_relationships(db, rel_type, rows)
        if progress:
            progress(len(rows))

    for record in _records(file):
        try:
            row = {"start": keys[record["start"]], "end": keys[record["end"]], "properties": record["properties"]}
        except KeyError:
            raise DamagedBackup("a relationship links a node the backup does not hold") from None
        pending[record["type"]].append(row)
        if len(pending[record["type"]]) >= BATCH:
            flush(record["type"])
    for rel_type in list(pending):
        flush(rel_type)
    return created


def _put_vectors(folder: Path, manifest: dict, index_dir: Path) -> list[str]:
    """Each vectors file into the index folder, replacing the one there (the app must be stopped)."""
    index_dir.mkdir(parents=True, exist_ok=True)
    names = [name for name in manifest["files"] if name.startswith("vectors/")]
    for name in names:
        target = index_dir / Path(name).name
        partial = target.with_name(target.name + ".partial")
        shutil.copyfile(folder / name, partial)  # the temporary folder may be on another file system
        for stale in (target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
            stale.unlink(missing_ok=True)  # an old write-ahead log would be replayed over the restored file
        os.replace(partial, target)
    return names
