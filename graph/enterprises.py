"""Enterprises: chain leaders, SMEs and others, with their region and chains."""
from __future__ import annotations

from neo4j import ManagedTransaction

from .changes import next_seq
from .db import GraphDB, one, rows
from .derived import set_copies
from .errors import DuplicateKey
from .upsert import split_new as _split

# The properties both write paths set, and the region and chain edges they draw
# (MERGE on the update path, CREATE for new ids, which have no edges yet).
_FIELDS = ("name", "name_en", "role", "tier", "region_code", "local", "certifications",
           "annual_procurement", "local_procurement", "description", "chain_ids",
           "contact_person", "phone", "email", "website")
_SEARCH = "toLower(r.name + ' ' + coalesce(r.name_en, ''))"
_PROPS = ", ".join(f"e.{name} = r.{name}" for name in _FIELDS) + f", e.search = {_SEARCH}, e.updated_at = $now"
# The same as a map, for CREATE: one record write instead of a create and an update.
_PROPS_MAP = ", ".join(f"{name}: r.{name}" for name in _FIELDS) + f", search: {_SEARCH}, updated_at: $now"
_LINKS = """
MATCH (g:Region {code: r.region_code})
%(verb)s (e)-[:LOCATED_IN]->(g)
WITH e, r
UNWIND r.chain_ids AS chain_id
MATCH (c:Chain {id: chain_id})
FOREACH (_ IN CASE WHEN r.role = 'leader' THEN [1] ELSE [] END | %(verb)s (e)-[:LEADS]->(c))
FOREACH (_ IN CASE WHEN r.role <> 'leader' THEN [1] ELSE [] END | %(verb)s (e)-[:MEMBER_OF]->(c))
"""

_UPSERT = f"""
UNWIND $rows AS r
MERGE (e:Enterprise {{id: r.id}})
ON CREATE SET e.created_at = $now, e.version = 0
SET {_PROPS}, e.version = e.version + 1
WITH e, r
OPTIONAL MATCH (e)-[old:LOCATED_IN|LEADS|MEMBER_OF]->()
DELETE old
WITH DISTINCT e, r
{_LINKS % {"verb": "MERGE"}}"""
_CREATE = f"""
UNWIND $rows AS r
CREATE (e:Enterprise {{id: r.id, {_PROPS_MAP}, created_at: $now, version: 1}})
WITH e, r
{_LINKS % {"verb": "CREATE"}}"""
_EXISTING = "UNWIND $ids AS id MATCH (e:Enterprise {id: id}) RETURN e.id AS id"
# Items copy their firm's names, locality, tier and certifications (graph.derived);
# the change number lets every item catalog see the new copies.
_SYNC_ITEMS = """
UNWIND $rows AS r
MATCH (e:Enterprise {id: r.id})-[:OFFERS|NEEDS]->(i)
SET """ + set_copies("i") + """, i.seq = $seq
"""


def upsert_many(db: GraphDB, records: list[dict], now: str) -> int:
    """Create or update enterprises by id (records carry the _PROPS fields and chain_ids)."""
    try:
        db.write(_upsert, records, now)
    except DuplicateKey:  # created by another writer meanwhile: now it exists, update it
        db.write(_upsert, records, now)
    return len(records)


def _upsert(tx: ManagedTransaction, records: list[dict], now: str) -> None:
    existing = {r["id"] for r in tx.run(_EXISTING, ids=[r["id"] for r in records]).data()}
    fresh, rest = _split(records, existing)
    if fresh:
        tx.run(_CREATE, rows=fresh, now=now).consume()
    if rest:
        seq = next_seq(tx)
        tx.run(_UPSERT, rows=rest, now=now).consume()
        tx.run(_SYNC_ITEMS, rows=rest, seq=seq).consume()


_GET = """
MATCH (e:Enterprise {id: $id})
OPTIONAL MATCH (e)-[:LOCATED_IN]->(g:Region)
RETURN e {.*, region_name: g.name} AS enterprise
"""


def get(db: GraphDB, enterprise_id: str) -> dict | None:
    record = db.read(one, _GET, id=enterprise_id)
    return record["enterprise"] if record else None


_ROLES = "UNWIND $ids AS id MATCH (e:Enterprise {id: id}) RETURN e.id AS id, e.role AS role, e.local AS local, e.tier AS tier"


def roles_of(db: GraphDB, ids: list[str]) -> dict[str, dict]:
    """{id: {role, local, tier}} of those ids that exist."""
    return {r["id"]: r for r in db.read(rows, _ROLES, ids=list(ids))}


def count(db: GraphDB) -> int:
    return db.read(one, "MATCH (e:Enterprise) RETURN count(e) AS n")["n"]


_ALL = """
MATCH (e:Enterprise) WHERE $chain_id IS NULL OR $chain_id IN e.chain_ids
RETURN e {.*} AS enterprise ORDER BY e.id
"""


def all_enterprises(db: GraphDB, chain_id: str | None = None) -> list[dict]:
    """Every enterprise (of one chain), in id order, for exports."""
    return [r["enterprise"] for r in db.read(rows, _ALL, chain_id=chain_id)]


# One scan gives the total and the page's ids (sorting and counting in two queries
# scanned twice); the page's firms are then read by id.
_MATCHING_IDS = """
MATCH (e:Enterprise) WHERE ($role IS NULL OR e.role = $role) AND ($q = '' OR e.search CONTAINS $q)
  AND ($chain_id IS NULL OR $chain_id IN e.chain_ids)
WITH e.id AS id, e.name AS name ORDER BY name, id
WITH collect(id) AS ids
RETURN size(ids) AS total, ids[$skip..$end] AS page
"""
_BY_IDS = """
UNWIND $ids AS id MATCH (e:Enterprise {id: id})
RETURN e {.id, .name, .name_en, .role, .tier, .region_code, .local, .chain_ids, .certifications} AS enterprise
"""


def search(db: GraphDB, role: str | None, q: str, chain_id: str | None, skip: int, limit: int) -> tuple[list[dict], int]:
    """(the page's enterprises in name order, total matching)."""
    def work(tx):
        found = tx.run(_MATCHING_IDS, role=role, q=q.lower(), chain_id=chain_id,
                       skip=skip, end=skip + limit).single()
        by_id = {r["enterprise"]["id"]: r["enterprise"] for r in tx.run(_BY_IDS, ids=found["page"]).data()}
        return [by_id[i] for i in found["page"] if i in by_id], found["total"]
    return db.read(work)
