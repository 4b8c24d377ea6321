"""The list index's columns: what `encode_rows` writes for each item's list fields.

Every column compares across segments without a per-process vocabulary:
- coded fields (status, chain, segment, category, enterprise, tier): 64-bit hashes, 0 for none;
- `local` int8 (-1 none), `updated` (epoch seconds), `value`, `capacity` (-1 none), `deadline`
  (YYYYMMDD as int32, NO_DEADLINE for none);
- `certs`: one string per item, `\\x1fNAME@YYYYMMDD` per certification (the item's and its
  enterprise's), NO_EXPIRY for an undated one, so a bytes regex finds a name's live entries;
- `name`, `name_key` and `name_head`: the name, its first NAME_KEY_BYTES utf-8 bytes zero-padded,
  and the first 8 of those as a big-endian uint64 (utf-8 byte order is code-point order, so
  these sort as the names do, up to ties the longer key and then the name settle);
- `search`: the lower-cased search text with a newline after it, so no word spans two items;
- `served` int8: 1 for a demand item served by a local supplier today (the gap map's coverage);
- `enterprise`: the enterprise id as written (a chain's resilience names its firms).
"""
from __future__ import annotations

from datetime import datetime

import numpy as np

from ..index.hashing import hash64

CODED = ("status", "chain_id", "segment_id", "category_id", "enterprise_id", "tier")
NUMBERS = ("updated", "value", "capacity")
NO_EXPIRY = 99_999_999
NO_DEADLINE = 99_991_231
NAME_KEY_BYTES = 24
CERT_MARK = "\x1f"
TEXT_END = "\n"


def code(value) -> int:
    """The coded form of a field's value (0: none)."""
    return 0 if value is None else hash64(str(value))


def positions(values: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Each of `values` as its position in `codes` (every value must be one of them)."""
    order = np.argsort(codes)
    return order[np.searchsorted(codes[order], values)] if len(values) else np.zeros(0, np.int64)


def date_number(text: str | None, default: int) -> int:
    """'2027-03-31' -> 20270331; anything else -> default."""
    digits = (text or "").strip().replace("-", "")
    return int(digits) if len(digits) == 8 and digits.isdigit() else default


def cert_text(certifications) -> str:
    """`\\x1fNAME@YYYYMMDD` per certification ('NAME' or 'NAME@YYYY-MM-DD')."""
    parts = []
    for cert in certifications:
        name, _, until = str(cert).partition("@")
        expiry = date_number(until, NO_EXPIRY) if until else NO_EXPIRY
        parts.append(f"{CERT_MARK}{name.strip().upper()}@{expiry:08d}")
    return "".join(parts)


def name_keys(names: list[str]) -> np.ndarray:
    """(n, NAME_KEY_BYTES) uint8: each name's leading utf-8 bytes, zero-padded."""
    keys = np.zeros((len(names), NAME_KEY_BYTES), np.uint8)
    for row, name in enumerate(names):
        head = name.encode("utf-8")[:NAME_KEY_BYTES]
        keys[row, :len(head)] = np.frombuffer(head, np.uint8)
    return keys


def encode_rows(rows: list[dict]) -> dict:
    """The list columns of `rows`, in their order."""
    columns = {name: np.fromiter((code(r.get(name)) for r in rows), np.uint64, len(rows)) for name in CODED}
    columns["local"] = np.array([-1 if r.get("local") is None else int(bool(r["local"])) for r in rows], np.int8)
    columns["updated"] = _timestamps([r.get("updated_at") for r in rows])
    for name in ("value", "capacity"):
        columns[name] = np.array([-1.0 if r.get(name) is None else float(r[name]) for r in rows], np.float64)
    columns["deadline"] = np.array([date_number(r.get("deadline"), NO_DEADLINE) for r in rows], np.int32)
    columns["certs"] = [cert_text([*(r.get("certifications") or []), *(r.get("enterprise_certifications") or [])])
                        for r in rows]
    names = [r.get("name") or "" for r in rows]
    keys = name_keys(names)
    columns["name"], columns["name_key"] = names, keys
    columns["name_head"] = keys[:, :8].copy().view(">u8").ravel().astype(np.uint64)
    columns["search"] = [(r.get("search") or "") + TEXT_END for r in rows]
    columns["served"] = np.array([1 if r.get("current_supplier_local") else 0 for r in rows], np.int8)
    columns["enterprise"] = [r.get("enterprise_id") or "" for r in rows]
    return columns


def _timestamps(stamps: list[str | None]) -> np.ndarray:
    seen: dict[str, float] = {}  # bulk loads share stamps: parse each once
    out = np.zeros(len(stamps), np.float64)
    for row, stamp in enumerate(stamps):
        if stamp:
            if stamp not in seen:
                seen[stamp] = datetime.fromisoformat(stamp).timestamp()
            out[row] = seen[stamp]
    return out
