"""What the officials' dashboard reads besides rates and gaps: docking activity per chain in a period.

Engagements opened in [start, end) by their `opened_at`; contracts signed in it by the event that moved an
engagement into `contracted` (a correction of a contract, from = to, is no new signature). Timestamps are
UTC ISO 8601 strings, which compare as they sort.
"""
from __future__ import annotations

from typing import LiteralString

from .db import GraphDB, rows

_OPENED: LiteralString = """
MATCH (g:Engagement) WHERE g.opened_at >= $start AND g.opened_at < $end
RETURN g.chain_id AS chain_id, count(g) AS n
"""
_SIGNED: LiteralString = """
MATCH (e:EngagementEvent) WHERE e.to_status = 'contracted' AND coalesce(e.from_status, '') <> 'contracted'
  AND e.at >= $start AND e.at < $end
MATCH (e)-[:OF]->(g:Engagement)
WITH DISTINCT g
RETURN g.chain_id AS chain_id, count(g) AS n, sum(coalesce(g.value, 0)) AS value
"""


def activity(db: GraphDB, start: str, end: str) -> dict[str, dict]:
    """{chain_id: {opened, signed, signed_value}} for the period [start, end)."""
    out: dict[str, dict] = {}
    for r in db.read(rows, _OPENED, start=start, end=end):
        out.setdefault(r["chain_id"], {"opened": 0, "signed": 0, "signed_value": 0.0})["opened"] = int(r["n"])
    for r in db.read(rows, _SIGNED, start=start, end=end):
        entry = out.setdefault(r["chain_id"], {"opened": 0, "signed": 0, "signed_value": 0.0})
        entry["signed"], entry["signed_value"] = int(r["n"]), float(r["value"] or 0)
    return out
