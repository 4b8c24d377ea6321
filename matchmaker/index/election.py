"""One builder per host: whoever holds an exclusive flock on `<dir>/builder.lock` builds.

Every worker tries now and then without blocking; the kernel frees the lock when its holder's
process exits or dies, and the next worker to try takes over.
"""
from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path


class BuilderLock:
    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.path = self.directory / "builder.lock"
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> bool:
        """Take the lock if free (never waits); True when this process now holds it."""
        if self._fd is not None:
            return True
        self.directory.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        _remove_leftovers(self.directory)
        return True

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def _remove_leftovers(directory: Path) -> None:
    """Half-written files of a builder that died: nobody else writes while we hold the lock."""
    for sub in ("segments", "deletes"):
        for path in (directory / sub).glob("tmp-*"):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
