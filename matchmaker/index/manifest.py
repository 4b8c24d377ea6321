"""The manifest: which segments are live, which of their rows are deleted, and how far they reach.

`<dir>/manifest.json` = {generation, seq, segments: [{name, rows, deletes_file}], created_at,
schema_version}. `seq` is the highest change number the segments cover. It is replaced
atomically (tmp + fsync + os.replace), so a reader sees one whole generation or the next.

Segments live in `<dir>/segments/<name>/`, deleted-row bitmaps (numpy bool) in
`<dir>/deletes/*.npy`; a bitmap is never changed in place: a change writes a new file.

Removal rule: publishing generation G removes every file that neither G nor G-1 names.
A reader maps all of a segment's files when it opens it (a later unlink does not touch a
mapping), so the only reader at risk is one that read manifest G-1 and has not opened its
files yet; those are kept until G+1. A reader that still misses a file retries on the newest
manifest (reader.py).
"""
from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from .fsutil import fsync_path, write_json_atomic
from .strings import mapped

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class SegmentEntry:
    name: str
    rows: int
    deletes_file: str | None = None


@dataclass(frozen=True)
class Manifest:
    generation: int
    seq: int
    segments: tuple[SegmentEntry, ...] = ()
    schema_version: int = 1
    created_at: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat())

    def files(self) -> set[str]:
        """The names (under segments/ and deletes/) this generation needs."""
        names = {s.name for s in self.segments}
        return names | {s.deletes_file for s in self.segments if s.deletes_file}

    def next(self, seq: int, segments, schema_version: int | None = None) -> "Manifest":
        return Manifest(self.generation + 1, seq, tuple(segments),
                        self.schema_version if schema_version is None else schema_version)


EMPTY = Manifest(generation=0, seq=0)


def read_manifest(directory: Path) -> Manifest | None:
    """The current manifest, or None when nothing has been published."""
    try:
        raw = json.loads((Path(directory) / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    segments = tuple(SegmentEntry(**entry) for entry in raw.pop("segments"))
    return Manifest(segments=segments, **raw)


def publish(directory: Path, manifest: Manifest) -> None:
    """Make `manifest` current, then remove what neither it nor its predecessor names."""
    directory = Path(directory)
    previous = read_manifest(directory) or EMPTY
    if manifest.generation <= previous.generation:
        raise ValueError(f"generation {manifest.generation} is not newer than {previous.generation}")
    write_json_atomic(directory / MANIFEST, asdict(manifest))
    _remove_unused(directory, manifest.files() | previous.files())


def _remove_unused(directory: Path, keep: set[str]) -> None:
    for sub in ("segments", "deletes"):
        for path in (directory / sub).glob("*"):
            if path.name in keep:
                continue
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def write_deletes(directory: Path, segment_name: str, deleted: np.ndarray) -> str:
    """Write a segment's deleted-row bitmap as a new file; return its name for the manifest."""
    folder = Path(directory) / "deletes"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{segment_name}.{uuid.uuid4().hex[:8]}.npy"
    tmp = folder / f"tmp-{name}"
    with open(tmp, "wb") as handle:
        np.save(handle, np.asarray(deleted, dtype=bool))
        handle.flush()
        os.fsync(handle.fileno())
    os.rename(tmp, folder / name)
    fsync_path(folder)
    return name


def read_deletes(directory: Path, entry: SegmentEntry) -> np.ndarray:
    if entry.deletes_file is None:
        return np.zeros(entry.rows, dtype=bool)
    return mapped(Path(directory) / "deletes" / entry.deletes_file)
