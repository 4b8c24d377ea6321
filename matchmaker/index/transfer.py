"""Seeding a second host's index from a copy of another's: no row re-encoded, no vector recomputed.

The files are immutable and the manifest names all a generation needs, so a copy of that
generation's files plus its manifest (written last) is a whole index. Its `seq` numbers the
shared change feed, so the new host's builder goes on from there with `changes_since(seq)`.
"""
from __future__ import annotations

import shutil
from dataclasses import asdict
from pathlib import Path

from .fsutil import fsync_path, write_json_atomic
from .manifest import MANIFEST, Manifest, read_manifest

_TRIES = 3


def copy_index(source_dir: Path, target_dir: Path) -> Manifest:
    """Copy the current generation of `source_dir` (a live index may be the source) into `target_dir`."""
    source_dir, target_dir = Path(source_dir), Path(target_dir)
    for attempt in range(_TRIES):
        manifest = read_manifest(source_dir)
        if manifest is None:
            raise FileNotFoundError(f"{source_dir / MANIFEST}: no index to copy; build one there first")
        try:
            _copy_files(source_dir, target_dir, manifest)
        except FileNotFoundError:  # its builder moved on two generations while we copied: again
            if attempt == _TRIES - 1:
                raise
            continue
        write_json_atomic(target_dir / MANIFEST, asdict(manifest))
        return manifest
    raise AssertionError("unreachable")


def _copy_files(source_dir: Path, target_dir: Path, manifest: Manifest) -> None:
    for folder in ("segments", "deletes"):
        (target_dir / folder).mkdir(parents=True, exist_ok=True)
    for entry in manifest.segments:
        target = target_dir / "segments" / entry.name
        if not target.exists():
            tmp = target.with_name(f"tmp-{entry.name}")
            shutil.rmtree(tmp, ignore_errors=True)
            shutil.copytree(source_dir / "segments" / entry.name, tmp)
            for path in tmp.iterdir():
                fsync_path(path)
            tmp.rename(target)
        if entry.deletes_file:
            path = target_dir / "deletes" / entry.deletes_file
            shutil.copyfile(source_dir / "deletes" / entry.deletes_file, path)
            fsync_path(path)
    for folder in ("segments", "deletes"):
        fsync_path(target_dir / folder)
