"""Download headers."""
from __future__ import annotations

from urllib.parse import quote


def attachment(filename: str) -> dict:
    """Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 5987)."""
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "")
    return {"Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"}
