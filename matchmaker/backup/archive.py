"""One backup file: a gzip'd tar whose first member, manifest.json, records every other member's
size and sha256. Reading checks every member against it (and gzip its CRC) before anything is used,
so a damaged or altered file is refused whole."""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tarfile
import zlib
from pathlib import Path

from ..errors import Invalid

FORMAT, VERSION = "matchmaker-backup", 1
MANIFEST = "manifest.json"
# Member names are ours: a folder we know and a plain file name (no absolute paths, no "..").
_MEMBER = re.compile(r"(graph|vectors)/[A-Za-z0-9][A-Za-z0-9._-]{0,120}")
_CHUNK = 1 << 20


class DamagedBackup(Invalid):
    """The file is not a backup of this platform, or it was damaged or altered since it was written."""


def write_archive(path: Path, members: dict[str, Path], facts: dict) -> dict:
    """Write members (name in the archive -> file) and a manifest of `facts` plus their checksums.

    Written beside `path` first and renamed: a crash never leaves half a backup under the name."""
    manifest = {"format": FORMAT, "version": VERSION, **facts,
                "files": {name: {"bytes": file.stat().st_size, "sha256": _sha256(file)}
                          for name, file in members.items()}}
    partial = path.with_name(path.name + ".partial")
    with tarfile.open(partial, "w:gz") as tar:
        data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
        for name, file in members.items():
            tar.add(file, arcname=name, recursive=False)
    os.replace(partial, path)
    return manifest


def extract_verified(path: Path, into: Path) -> dict:
    """Extract the members into `into` (same relative names) and return the manifest, or raise
    DamagedBackup when anything does not match it."""
    try:
        with tarfile.open(path, "r:gz") as tar:
            manifest = _read_manifest(tar)
            seen = {_extract(tar, member, manifest["files"], into) for member in tar if member.name != MANIFEST
                    or member.offset != 0}  # the manifest itself, read first; a second one is refused
    except (tarfile.TarError, EOFError, zlib.error, OSError, UnicodeError, ValueError, KeyError, TypeError) as exc:
        raise DamagedBackup(f"{path.name} is damaged or not a backup: {exc}") from None
    missing = set(manifest["files"]) - seen
    if missing:
        raise DamagedBackup(f"{path.name} is incomplete: {', '.join(sorted(missing))} missing")
    return manifest


def _read_manifest(tar: tarfile.TarFile) -> dict:
    first = tar.next()
    if first is None or first.name != MANIFEST or not first.isfile():
        raise ValueError("the file does not start with a backup manifest")
    manifest = json.load(tar.extractfile(first))  # type: ignore[arg-type]
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise ValueError(f"format {manifest.get('format')!r} version {manifest.get('version')!r} "
                         f"is not {FORMAT!r} version {VERSION}")
    if not all(_MEMBER.fullmatch(name) for name in manifest["files"]):
        raise ValueError("the manifest names files outside the backup's folders")
    return manifest


def _extract(tar: tarfile.TarFile, member: tarfile.TarInfo, files: dict, into: Path) -> str:
    expected = files.get(member.name)
    if expected is None or not member.isfile():
        raise ValueError(f"unexpected member {member.name!r}")
    target = into / member.name
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with tar.extractfile(member) as source, open(target, "wb") as out:  # type: ignore[union-attr]
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != expected["sha256"] or target.stat().st_size != expected["bytes"]:
        raise ValueError(f"{member.name} does not match its checksum")
    return member.name


def _sha256(file: Path) -> str:
    digest = hashlib.sha256()
    with open(file, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
