"""Immutable segments: a directory of named columns, written once, atomically, then only mapped.

Column kinds, chosen by the value given to `write_segment`:
- a numpy array (1-D, or 2-D such as float16/float32 vectors): `<name>.npy`;
- a list of str: a string column (`strings.py`);
- a scipy.sparse matrix: CSR as `<name>.data.npy`, `.indices.npy`, `.indptr.npy`.
`meta.json` names the columns, their kinds and shapes, and the caller's meta.
A segment is written into `tmp-<name>`, fsynced, and renamed: a reader never sees half of one.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import uuid
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from .fsutil import fsync_path
from .strings import StringColumn, mapped, write_strings

_NAME = re.compile(r"^[A-Za-z0-9_]+$")


def new_segment_name(generation: int) -> str:
    return f"seg-{generation:08d}-{uuid.uuid4().hex[:8]}"


def write_segment(root: Path, name: str, columns: dict, meta: dict | None = None,
                  indexed: tuple[str, ...] = ("id",)) -> Path:
    """Write `columns` (all of one length) as segment `root/name`; return its path."""
    rows = _check_columns(columns)
    tmp = root / f"tmp-{name}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        described = {c: _write_column(tmp, c, v, c in indexed) for c, v in columns.items()}
    except ValueError:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    with open(tmp / "meta.json", "w", encoding="utf-8") as handle:
        json.dump({"rows": rows, "columns": described, "meta": meta or {}}, handle, ensure_ascii=False)
    for path in tmp.iterdir():
        fsync_path(path)
    fsync_path(tmp)
    os.rename(tmp, root / name)
    fsync_path(root)
    return root / name


def _check_columns(columns: dict) -> int:
    lengths = {}
    for column, value in columns.items():
        if not _NAME.match(column):
            raise ValueError(f"column name {column!r}: use letters, digits and _ only")
        lengths[column] = value.shape[0] if hasattr(value, "shape") else len(value)
    if len(set(lengths.values())) > 1:
        raise ValueError(f"columns differ in length: {lengths}; every column needs one value per row")
    return next(iter(lengths.values()), 0)


def _write_column(directory: Path, name: str, value, indexed: bool) -> dict:
    if sp.issparse(value):
        csr = sp.csr_matrix(value)
        csr.sort_indices()
        for part in ("data", "indices", "indptr"):
            np.save(directory / f"{name}.{part}.npy", getattr(csr, part))
        return {"type": "csr", "shape": list(csr.shape), "dtype": str(csr.dtype)}
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        np.save(directory / f"{name}.npy", np.ascontiguousarray(value))
        return {"type": "array", "shape": list(value.shape), "dtype": str(value.dtype)}
    if isinstance(value, (list, tuple)) or (isinstance(value, np.ndarray) and value.dtype.kind == "U"):
        write_strings(directory, name, list(value), indexed)
        return {"type": "string", "indexed": indexed}
    raise ValueError(f"column {name!r}: {type(value).__name__} is not a supported column; give a "
                     "numeric numpy array, a list of str, or a scipy.sparse matrix")


class Segment:
    """A segment opened read-only; every file is mapped at open, so a later unlink is harmless."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.name = self.path.name
        info = json.loads((self.path / "meta.json").read_text(encoding="utf-8"))
        self.rows: int = info["rows"]
        self.meta: dict = info["meta"]
        self.kinds: dict[str, str] = {n: c["type"] for n, c in info["columns"].items()}
        self.columns = {n: self._open(n, c) for n, c in info["columns"].items()}

    def _open(self, name: str, described: dict):
        if described["type"] == "string":
            return StringColumn(self.path, name)
        if described["type"] == "csr":
            parts = [mapped(self.path / f"{name}.{p}.npy") for p in ("data", "indices", "indptr")]
            return sp.csr_matrix(tuple(parts), shape=tuple(described["shape"]), copy=False)
        return mapped(self.path / f"{name}.npy")

    def __getitem__(self, column: str):
        return self.columns[column]

    def __contains__(self, column: str) -> bool:
        return column in self.columns

    def size_on_disk(self) -> int:
        return sum(p.stat().st_size for p in self.path.iterdir())
