"""Staged uploads: a previewed import file kept on the server until its owner imports or discards it.

Each upload is one file named by a random token (`secrets.token_urlsafe`) plus a JSON sidecar:
owner, kind, original filename, size, SHA-256, created. Uploads expire after TTL and are swept
whenever the store is used; an owner keeps at most MAX_PER_OWNER, the oldest dropped. Confirming
claims the file with an atomic rename, so two confirms (two workers, a double click) never both
import it; the import then runs on exactly the previewed bytes.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

from graph.db import GraphDB

from ..errors import Conflict, DomainError, Invalid, NotFound
from .imports import ImportReport, import_file
from .permissions import Principal, require_login

__all__ = ["TTL", "MAX_PER_OWNER", "Staged", "StagedStore", "TooLarge", "preview", "confirm", "discard"]

TTL = timedelta(hours=1)
MAX_PER_OWNER = 5
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)
Clock = Callable[[], datetime]


def _(message: str) -> str:
    """Marks a message for the Chinese catalogue; the page translates it when it shows the error."""
    return message


GONE = _("This upload is no longer available: it was already imported or discarded, it expired "
         "(uploads are kept for one hour), or it belongs to another account. Choose the file again.")
MALFORMED = _("This is not a valid upload token. Choose the file again.")
CHANGED = _("The stored upload does not match the previewed file. Choose the file again.")
TOO_LARGE = _("The file is larger than the upload limit.")


class TooLarge(DomainError):
    status, code = 413, "request_entity_too_large"


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class Staged:
    token: str
    owner: str
    kind: str
    filename: str
    size: int
    sha256: str
    created: str  # ISO 8601, UTC


@dataclass(frozen=True)
class Claim:
    staged: Staged
    data: bytes
    path: Path


class StagedStore:
    """Staged files under `root`. `clock` (returning an aware datetime) and `ttl` are injectable, so
    tests move time instead of sleeping."""

    def __init__(self, root: Path | str, *, ttl: timedelta = TTL, max_per_owner: int = MAX_PER_OWNER,
                 max_bytes: int | None = None, clock: Clock = _utcnow):
        self.root, self.ttl, self.max_per_owner = Path(root), ttl, max_per_owner
        self.max_bytes, self.clock = max_bytes, clock

    def check_size(self, size: int) -> None:
        if self.max_bytes is not None and size > self.max_bytes:
            raise TooLarge(TOO_LARGE, {"file": [TOO_LARGE]})

    def put(self, owner: str, kind: str, filename: str, data: bytes) -> Staged:
        """Keep `data` for `owner`; drops the owner's oldest uploads beyond MAX_PER_OWNER."""
        self.check_size(len(data))
        self.sweep()
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        mine = sorted(self.of_owner(owner), key=lambda s: s.created)
        for old in mine[:max(0, len(mine) - self.max_per_owner + 1)]:
            self._remove(old.token)
        staged = Staged(secrets.token_urlsafe(32), owner, kind, filename, len(data),
                        hashlib.sha256(data).hexdigest(), self.clock().isoformat())
        self._write(self._data(staged.token), data)  # the sidecar last: once it exists, the upload is whole
        self._write(self._meta(staged.token), json.dumps(asdict(staged), ensure_ascii=False).encode())
        return staged

    def spool(self, name: str, data: bytes) -> Path:
        """Keep `data` as a file of its own (an import job's input), swept one TTL after it was written."""
        self.check_size(len(data))
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._write(self.root / name, data)
        return self.root / name

    def get(self, token: str, owner: str) -> Staged:
        """The owner's live upload; malformed tokens are Invalid, anything else unavailable NotFound."""
        if not isinstance(token, str) or not _TOKEN.fullmatch(token):
            raise Invalid(MALFORMED, {"token": [MALFORMED]})
        staged = self._load(token)
        if staged is None or staged.owner != owner:  # another account's upload is as good as absent
            raise NotFound(GONE)
        if self._expired(staged):
            self._remove(token)
            raise NotFound(GONE)
        return staged

    def claim(self, token: str, owner: str) -> Claim:
        """Take the upload out of the store atomically; `release` ends the claim."""
        staged = self.get(token, owner)
        path = self.root / f"{token}.claimed-{secrets.token_hex(4)}"
        try:
            os.rename(self._data(token), path)
        except FileNotFoundError:
            raise NotFound(GONE) from None
        os.utime(path)  # a leftover claim is swept one TTL after the claim, not after the upload
        data = path.read_bytes()
        if len(data) != staged.size or hashlib.sha256(data).hexdigest() != staged.sha256:
            path.unlink(missing_ok=True)
            self._remove(token)
            raise Conflict(CHANGED)
        return Claim(staged, data, path)

    def release(self, claim: Claim, consumed: bool) -> None:
        """Delete a consumed upload, or put it back (nothing was imported, the owner may try again)."""
        if consumed:
            claim.path.unlink(missing_ok=True)
            self._meta(claim.staged.token).unlink(missing_ok=True)
        else:
            os.replace(claim.path, self._data(claim.staged.token))

    def discard(self, token: str, owner: str) -> Staged:
        staged = self.get(token, owner)
        self._remove(token)
        return staged

    def of_owner(self, owner: str) -> list[Staged]:
        return [s for s in map(self._load, self._tokens()) if s is not None and s.owner == owner]

    def sweep(self) -> int:
        """Delete expired uploads and leftovers (unfinished writes, abandoned claims); returns how many."""
        removed = 0
        for token in self._tokens():
            staged = self._load(token)
            if staged is None or self._expired(staged):
                self._remove(token)
                removed += 1
        if not self.root.is_dir():
            return removed
        cutoff = (self.clock() - self.ttl).timestamp()
        for entry in os.scandir(self.root):
            stem = entry.name.split(".")[0] or entry.name
            leftover = not entry.name.endswith(".json") and not self._meta(stem).exists()
            if leftover and entry.is_file() and entry.stat().st_mtime <= cutoff:
                Path(entry.path).unlink(missing_ok=True)
                removed += 1
        return removed

    # -- files ---------------------------------------------------------------------------------------

    def _data(self, token: str) -> Path:
        return self.root / f"{token}.upload"

    def _meta(self, token: str) -> Path:
        return self.root / f"{token}.json"

    def _tokens(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return [p.stem for p in self.root.glob("*.json") if _TOKEN.fullmatch(p.stem)]

    def _load(self, token: str) -> Staged | None:
        try:
            return Staged(**json.loads(self._meta(token).read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):  # missing, half-written or foreign: not an upload
            return None

    def _expired(self, staged: Staged) -> bool:
        return datetime.fromisoformat(staged.created) + self.ttl <= self.clock()

    def _remove(self, token: str) -> None:
        self._data(token).unlink(missing_ok=True)
        self._meta(token).unlink(missing_ok=True)

    def _write(self, path: Path, data: bytes) -> None:
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)


# -- the import steps ------------------------------------------------------------------------------

def preview(db: GraphDB, store: StagedStore, principal: Principal, kind: str, data: bytes, filename: str, *,
            home_region: str, mode: str = "all_or_nothing") -> tuple[ImportReport, Staged | None]:
    """Check a file without writing to the graph; keep it for confirming when some row can be imported."""
    require_login(principal)
    store.check_size(len(data))
    report = import_file(db, kind, data, filename, home_region=home_region, mode=mode, dry_run=True,
                         principal=principal)
    staged = store.put(principal.id, kind, filename, data) if report.accepted else None
    return report, staged


def confirm(db: GraphDB, store: StagedStore, principal: Principal, token: str, *, home_region: str,
            mode: str = "all_or_nothing") -> tuple[ImportReport, Staged | None]:
    """Import the owner's staged file with today's permissions.

    The upload is consumed when the import is applied. When `mode` refuses it (all_or_nothing and
    a rejected row) nothing is written and the upload stays, so the owner may choose valid_rows;
    it is returned as the second value then.
    """
    require_login(principal)
    claim = store.claim(token, principal.id)
    try:
        report = import_file(db, claim.staged.kind, claim.data, claim.staged.filename, home_region=home_region,
                             mode=mode, principal=principal)
    except BaseException:
        store.release(claim, consumed=False)  # e.g. the graph was down: the owner can try again
        raise
    store.release(claim, consumed=report.applied)
    return report, None if report.applied else claim.staged


def discard(store: StagedStore, principal: Principal, token: str) -> Staged:
    require_login(principal)
    return store.discard(token, principal.id)
