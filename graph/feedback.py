"""A leader's verdicts on suggested suppliers: (:MatchFeedback)-[:ON]->(:DemandItem). Never rewritten:
a later verdict on the same pair is a new record, and the latest one counts."""
from __future__ import annotations

from typing import LiteralString

from .db import GraphDB, rows

_RECORD: LiteralString = """
MATCH (d:DemandItem {id: $demand_id})
CREATE (f:MatchFeedback {id: $id, demand_id: $demand_id, enterprise_id: $enterprise_id,
                         leader_id: d.enterprise_id, verdict: $verdict, reason: $reason, at: $at, by: $by})
CREATE (f)-[:ON]->(d)
RETURN f {.*} AS feedback
"""
# The latest verdict per (demand, supplier) of one leader, with each demand's text.
_OF_LEADER: LiteralString = """
MATCH (f:MatchFeedback {leader_id: $leader_id})
WITH f ORDER BY f.at DESC
WITH f.demand_id AS demand_id, f.enterprise_id AS enterprise_id, collect(f)[0] AS latest
MATCH (d:DemandItem {id: demand_id})
RETURN demand_id, enterprise_id, latest.verdict AS verdict, latest.at AS at,
       d.name AS name, d.description AS description
"""
_OF_DEMAND: LiteralString = """
MATCH (f:MatchFeedback {demand_id: $demand_id})
RETURN f {.*} AS feedback ORDER BY f.at DESC LIMIT 200
"""


def record(db: GraphDB, feedback: dict) -> dict | None:
    """Store one verdict; None when the demand item does not exist."""
    found = db.write(rows, _RECORD, **feedback)
    return found[0]["feedback"] if found else None


def latest_of_leader(db: GraphDB, leader_id: str) -> list[dict]:
    return db.read(rows, _OF_LEADER, leader_id=leader_id)


def of_demand(db: GraphDB, demand_id: str) -> list[dict]:
    return [r["feedback"] for r in db.read(rows, _OF_DEMAND, demand_id=demand_id)]
