"""What the officials' dashboard reads besides rates and gaps: matching and docking activity per chain in a period.

Suggestions confirmed in [start, end) by their leaders' verdicts (distinct demand item and supplier pairs whose
`confirm` verdict falls in the period, by the demand item's chain); engagements opened in [start, end) by their `opened_at`; contracts signed in it by the event that moved an
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

_CONFIRMED: LiteralString = """
MATCH (f:MatchFeedback) WHERE f.verdict = 'confirm' AND f.at >= $start AND f.at < $end
MATCH (f)-[:ON]->(d:DemandItem)
WITH DISTINCT d.chain_id AS chain_id, f.demand_id AS demand_id, f.enterprise_id AS enterprise_id
RETURN chain_id, count(*) AS n
"""


def activity(db: GraphDB, start: str, end: str) -> dict[str, dict]:
    """{chain_id: {confirmed, opened, signed, signed_value}} for the period [start, end)."""
    out: dict[str, dict] = {}

    def entry(chain_id: str) -> dict:
        return out.setdefault(chain_id, {"confirmed": 0, "opened": 0, "signed": 0, "signed_value": 0.0})
    for r in db.read(rows, _CONFIRMED, start=start, end=end):
        entry(r["chain_id"])["confirmed"] = int(r["n"])
    for r in db.read(rows, _OPENED, start=start, end=end):
        entry(r["chain_id"])["opened"] = int(r["n"])
    for r in db.read(rows, _SIGNED, start=start, end=end):
        entry(r["chain_id"])["signed"], entry(r["chain_id"])["signed_value"] = int(r["n"]), float(r["value"] or 0)
    return out


# The dashboard's rates and coverage for every chain at once, aggregated in the server (one row per leader,
# per category), instead of the per-item projection (graph.localization) and a coverage query per chain:
# measured 9.2 s -> 0.8 s and 3-4 s -> 1 s at 100,000 items (docs/BENCHMARKS.md, "Officials").
_CHAINS: LiteralString = """
MATCH (c:Chain)
RETURN c.id AS id, c.name_zh AS name_zh, c.name_en AS name_en, c.localization_target AS target
ORDER BY c.position, c.id
"""
_CATEGORIES: LiteralString = "MATCH (k:Category) RETURN k.id AS id, k.chain_id AS chain_id"
# Per leader: its chains, declared figures, and the value of its demand items (not drafts) in all and
# served locally today: the T and B of matchmaker.analytics.localization when nothing is declared.
_LEADERS: LiteralString = """
MATCH (l:Enterprise {role: 'leader'})-[:LEADS]->(c:Chain)
WITH l, collect(c.id) AS chains
OPTIONAL MATCH (l)-[:NEEDS]->(d:DemandItem)
WITH l, chains,
     sum(CASE WHEN d.status IN ['published', 'closed'] THEN coalesce(d.value, 0) ELSE 0 END) AS total,
     sum(CASE WHEN d.status IN ['published', 'closed'] AND d.current_supplier_local = true
              THEN coalesce(d.value, 0) ELSE 0 END) AS local
RETURN l.id AS id, l.annual_procurement AS annual, l.local_procurement AS declared_local, chains, total, local
"""
# Per leader: contracted engagements with local suppliers on its items not served locally (C).
_CONTRACTS: LiteralString = """
MATCH (g:Engagement {status: 'contracted'})-[:FOR]->(d:DemandItem)<-[:NEEDS]-(l:Enterprise {role: 'leader'})
WHERE coalesce(d.current_supplier_local, false) = false AND g.value > 0
MATCH (g)-[:WITH]->(s:Enterprise {local: true})
RETURN l.id AS leader_id, sum(g.value) AS contracted
"""
_LOCAL_SUPPLIERS: LiteralString = """
MATCH (s:SupplyItem) WHERE s.status = 'published' AND s.local = true
WITH s.category_id AS id, count(DISTINCT s.enterprise_id) AS n
RETURN id, n
"""
_OPEN_DEMAND: LiteralString = """
MATCH (d:DemandItem) WHERE d.status = 'published'
RETURN d.category_id AS id, sum(coalesce(d.value, 0)) AS value
"""


def chains(db: GraphDB) -> list[dict]:
    """Every chain (id, names, target) in the taxonomy's order."""
    return db.read(rows, _CHAINS)


def rate_totals(db: GraphDB) -> tuple[list[dict], dict[str, float]]:
    """(per leader {id, annual, declared_local, chains, total, local}, {leader id: contracted value})."""
    return db.read(rows, _LEADERS), local_contracts(db)


def local_contracts(db: GraphDB) -> dict[str, float]:
    """{leader id: value of its contracts with local suppliers on items not served locally} (C)."""
    return {r["leader_id"]: float(r["contracted"] or 0) for r in db.read(rows, _CONTRACTS)}


def categories(db: GraphDB) -> list[dict]:
    """Every category's id and chain id."""
    return db.read(rows, _CATEGORIES)


def coverage_all(db: GraphDB) -> dict[str, list[dict]]:
    """{chain id: [{id, local_suppliers, demand_value} per category]}: what graph.gaps.coverage gives per chain
    (published items; local suppliers counted once per firm), for every chain in three reads."""
    local = {r["id"]: int(r["n"]) for r in db.read(rows, _LOCAL_SUPPLIERS)}
    demand = {r["id"]: float(r["value"] or 0) for r in db.read(rows, _OPEN_DEMAND)}
    out: dict[str, list[dict]] = {}
    for k in categories(db):
        out.setdefault(k["chain_id"], []).append({"id": k["id"], "local_suppliers": local.get(k["id"], 0),
                                                  "demand_value": demand.get(k["id"], 0.0)})
    return out
