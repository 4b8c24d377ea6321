"""Settings the graph remembers about the app that last prepared it (`(:Meta {id:'settings'})`)."""
from __future__ import annotations

from typing import LiteralString

from .db import GraphDB, one

_GET: LiteralString = "OPTIONAL MATCH (m:Meta {id: 'settings'}) RETURN m.home_region AS home_region"
_SET: LiteralString = "MERGE (m:Meta {id: 'settings'}) SET m.home_region = $home_region"


def recorded_home_region(db: GraphDB) -> str | None:
    """The HOME_REGION the stored `local` flags were derived for (None before the first record)."""
    return db.read(one, _GET)["home_region"]


def record_home_region(db: GraphDB, home_region: str) -> None:
    db.write(lambda tx: tx.run(_SET, home_region=home_region).consume())
