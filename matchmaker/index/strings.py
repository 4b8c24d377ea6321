"""String columns on disk: the utf-8 bytes of all values end to end, and int64 offsets.

Both files are plain `.npy`, so a reader maps them and every worker shares the pages.
A column written with `indexed=True` also keeps its values' hashes sorted, with the row
of each, so an id finds its row by binary search in shared memory, not in a per-process dict.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ..compile_lock import COMPILE_LOCK

from .hashing import hash64, hashes


def write_strings(directory: Path, name: str, values, indexed: bool) -> list[Path]:
    """Write `values` (str each) as `<name>.bytes.npy` and `<name>.offsets.npy` (+ hash index)."""
    encoded = [_as_str(name, i, v).encode("utf-8") for i, v in enumerate(values)]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    data = np.frombuffer(b"".join(encoded), dtype=np.uint8)
    arrays = {"bytes": data, "offsets": offsets}
    if indexed:
        keys = hashes([b.decode("utf-8") for b in encoded])
        order = np.argsort(keys, kind="stable")
        arrays["keys"], arrays["order"] = keys[order], order.astype(np.int64)
    paths = []
    for part, array in arrays.items():
        path = directory / f"{name}.{part}.npy"
        np.save(path, array)
        paths.append(path)
    return paths


def _as_str(name: str, row: int, value) -> str:
    if not isinstance(value, str):
        raise ValueError(f"string column {name!r}, row {row}: {value!r} is not a str; "
                         "give every value as text (use '' for none)")
    return value


class StringColumn:
    """A read-only string column over mapped files: `col[i]`, `len(col)`, `col.find(value)`."""

    def __init__(self, directory: Path, name: str) -> None:
        self._bytes = mapped(directory / f"{name}.bytes.npy")
        self._offsets = mapped(directory / f"{name}.offsets.npy")
        keys_path = directory / f"{name}.keys.npy"
        self._index = None
        if keys_path.exists():  # opened now: files of an old segment may be removed later
            self._index = (mapped(keys_path), mapped(directory / f"{name}.order.npy"))

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, row: int) -> str:
        if not -len(self) <= row < len(self):
            raise IndexError(row)
        row %= len(self)
        start, end = int(self._offsets[row]), int(self._offsets[row + 1])
        return self._bytes[start:end].tobytes().decode("utf-8")

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def raw(self) -> tuple[np.ndarray, np.ndarray]:
        """The mapped utf-8 bytes and the int64 offsets (n + 1 of them), for vectorised scans."""
        return self._bytes, self._offsets

    def take(self, rows) -> list[str]:
        """The values of many rows at once: a quarter of the cost of reading them one by one."""
        rows, n = np.asarray(rows, dtype=np.int64), len(self)
        low, high = (int(rows.min()), int(rows.max())) if rows.size else (0, 0)
        if not (-n <= low and high < n):
            raise IndexError(f"rows outside 0..{n - 1}")
        if low < 0:
            rows = rows % n
        starts, ends = self._offsets[rows].tolist(), self._offsets[rows + 1].tolist()
        data = memoryview(self._bytes)
        return [str(data[a:b], "utf-8") for a, b in zip(starts, ends)]

    def row_keys(self) -> np.ndarray:
        """hash64 of every row's value, in row order (read off the hash index)."""
        if self._index is None:
            self._index = _build_index(self)
        keys, order = self._index
        out = np.empty(len(keys), np.uint64)
        out[np.asarray(order)] = keys
        return out

    def find(self, value: str, key: int | None = None) -> int:
        """The first row holding `value`, or -1; `key` is hash64(value) when the caller has it.

        Without a hash index on disk one is built in this process's memory on first use.
        """
        if self._index is None:
            self._index = _build_index(self)
        keys, order = self._index
        key = np.uint64(hash64(value) if key is None else key)
        at = int(keys.searchsorted(key))
        while at < len(keys) and keys[at] == key:
            if self[int(order[at])] == value:
                return int(order[at])
            at += 1
        return -1

    def equals(self, value: str) -> np.ndarray:
        """A boolean mask of the rows equal to `value`, vectorised over the bytes."""
        target = np.frombuffer(value.encode("utf-8"), dtype=np.uint8)
        starts = np.asarray(self._offsets[:-1])
        mask = (np.asarray(self._offsets[1:]) - starts) == len(target)
        for j, byte in enumerate(target):
            rows = np.flatnonzero(mask)
            mask[rows] = self._bytes[starts[rows] + j] == byte
        return mask


def mapped(path: Path) -> np.ndarray:
    """A `.npy` file mapped read-only, as a plain ndarray (a memmap's indexing costs ~4 µs more).
    numpy parses the header with ast.literal_eval: one thread at a time (matchmaker/compile_lock.py)."""
    with COMPILE_LOCK:
        return np.asarray(np.load(path, mmap_mode="r"))


def _build_index(column: StringColumn) -> tuple[np.ndarray, np.ndarray]:
    keys = hashes(list(column))
    order = np.argsort(keys, kind="stable")
    return keys[order], order
