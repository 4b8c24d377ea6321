"""Chains, their segments and product categories (the taxonomy aggregate)."""
from __future__ import annotations

from neo4j import ManagedTransaction

from .db import GraphDB, one, rows

_MERGE_CHAINS = """
UNWIND $chains AS c
MERGE (chain:Chain {id: c.id})
SET chain.name_zh = c.name_zh, chain.name_en = c.name_en, chain.aliases = c.aliases,
    chain.localization_target = c.localization_target, chain.position = c.position
"""
_MERGE_SEGMENTS = """
UNWIND $segments AS s
MATCH (chain:Chain {id: s.chain_id})
MERGE (seg:Segment {id: s.id})
SET seg.stage = s.stage, seg.name_zh = s.name_zh, seg.name_en = s.name_en,
    seg.chain_id = s.chain_id, seg.position = s.position
MERGE (seg)-[:PART_OF]->(chain)
"""
_MERGE_CATEGORIES = """
UNWIND $categories AS c
MATCH (seg:Segment {id: c.segment_id})
MERGE (cat:Category {id: c.id})
SET cat.name_zh = c.name_zh, cat.name_en = c.name_en, cat.keywords = c.keywords,
    cat.segment_id = c.segment_id, cat.chain_id = c.chain_id, cat.stage = c.stage,
    cat.position = c.position
MERGE (cat)-[:IN_SEGMENT]->(seg)
"""
_MERGE_FEEDS = """
UNWIND $feeds AS f
MATCH (a:Category {id: f.source}), (b:Category {id: f.target})
MERGE (a)-[:FEEDS]->(b)
"""


def load_taxonomy(db: GraphDB, chains: list[dict], segments: list[dict],
                  categories: list[dict], feeds: list[dict]) -> None:
    """Upsert the whole taxonomy in one transaction (idempotent)."""
    db.write(_load_taxonomy, chains, segments, categories, feeds)


def _load_taxonomy(tx: ManagedTransaction, chains, segments, categories, feeds) -> None:
    tx.run(_MERGE_CHAINS, chains=chains).consume()
    tx.run(_MERGE_SEGMENTS, segments=segments).consume()
    tx.run(_MERGE_CATEGORIES, categories=categories).consume()
    tx.run(_MERGE_FEEDS, feeds=feeds).consume()


_LIST = """
MATCH (c:Chain)
CALL { WITH c OPTIONAL MATCH (s:Segment)-[:PART_OF]->(c) RETURN count(s) AS segments }
CALL { WITH c OPTIONAL MATCH (k:Category {chain_id: c.id}) RETURN count(k) AS categories }
CALL { WITH c OPTIONAL MATCH (e:Enterprise)-[:LEADS|MEMBER_OF]->(c) RETURN count(DISTINCT e) AS enterprises,
       count(DISTINCT CASE WHEN e.role = 'leader' THEN e END) AS leaders }
RETURN c {.id, .name_zh, .name_en, .aliases, .localization_target} AS chain,
       segments, categories, enterprises, leaders
ORDER BY c.position, c.id
"""


def list_chains(db: GraphDB) -> list[dict]:
    """Every chain with counts of its segments, categories and enterprises.

    Item counts come from the app's item catalog (counting them here scans every item).
    """
    return [{**r["chain"], **{k: v for k, v in r.items() if k != "chain"}}
            for r in db.read(rows, _LIST)]


_GET = """
MATCH (c:Chain {id: $id})
RETURN c {.id, .name_zh, .name_en, .aliases, .localization_target} AS chain
"""
_SEGMENTS = """
MATCH (s:Segment)-[:PART_OF]->(:Chain {id: $id})
OPTIONAL MATCH (k:Category)-[:IN_SEGMENT]->(s)
WITH s, k ORDER BY k.position
WITH s, collect(k {.id, .name_zh, .name_en, .keywords}) AS categories
RETURN s {.id, .stage, .name_zh, .name_en} AS segment, categories
ORDER BY s.position
"""
_FEEDS = """
MATCH (a:Category)-[:FEEDS]->(b:Category)
WHERE a.chain_id = $id OR b.chain_id = $id
RETURN a.id AS source, b.id AS target, a.name_zh AS source_name_zh, a.name_en AS source_name_en,
       b.name_zh AS target_name_zh, b.name_en AS target_name_en
ORDER BY source, target
"""


def get_chain(db: GraphDB, chain_id: str) -> dict | None:
    """One chain with its segments (each with its categories) and FEEDS edges."""
    return db.read(_get_chain, chain_id)


def _get_chain(tx: ManagedTransaction, chain_id: str) -> dict | None:
    head = one(tx, _GET, id=chain_id)
    if head is None:
        return None
    segments = [{**r["segment"], "categories": r["categories"]} for r in rows(tx, _SEGMENTS, id=chain_id)]
    return {**head["chain"], "segments": segments, "feeds": rows(tx, _FEEDS, id=chain_id)}


_NAMES = "MATCH (c:Chain) RETURN c.id AS id, c.name_zh AS name_zh, c.name_en AS name_en, c.aliases AS aliases"


def chain_names(db: GraphDB) -> list[dict]:
    """Ids, names and aliases of all chains, for lenient name matching."""
    return db.read(rows, _NAMES)


_CATEGORIES = """
MATCH (k:Category)
RETURN k.id AS id, k.name_zh AS name_zh, k.name_en AS name_en, k.keywords AS keywords,
       k.chain_id AS chain_id, k.segment_id AS segment_id, k.stage AS stage
ORDER BY k.chain_id, k.position
"""


def all_categories(db: GraphDB) -> list[dict]:
    """Every category with its chain and segment, for pickers and classification."""
    return db.read(rows, _CATEGORIES)
