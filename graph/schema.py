"""Constraints, indexes and ordered migrations; the version lives in the graph.

Each migration is a list of idempotent statements. `migrate` applies those
newer than the stored version in order and records each one as it lands, so
an interrupted run resumes where it stopped.
"""
from __future__ import annotations

from typing import LiteralString

from neo4j import ManagedTransaction

from .db import GraphDB
from .errors import SchemaTooNew


def _unique(label: str, prop: str) -> LiteralString:
    name = f"{label.lower()}_{prop}_unique"
    return f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{label}) REQUIRE n.{prop} IS UNIQUE"  # type: ignore[return-value]


def _index(label: str, prop: str) -> LiteralString:
    name = f"{label.lower()}_{prop}"
    return f"CREATE INDEX {name} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})"  # type: ignore[return-value]


class _in_batches(str):
    """A data statement that returns `n`, the rows it changed: run again until it changes none
    (one transaction per batch, so a million items need no giant transaction)."""


MIGRATIONS: list[tuple[int, str, list[LiteralString]]] = [
    (1, "unique keys of every aggregate", [
        _unique("Chain", "id"), _unique("Segment", "id"), _unique("Category", "id"),
        _unique("Region", "code"), _unique("Enterprise", "id"),
        _unique("SupplyItem", "id"), _unique("DemandItem", "id"),
        _unique("User", "id"), _unique("User", "email"), _unique("ApiToken", "token_hash"),
        _unique("Edition", "id"), _unique("Meta", "id"),
    ]),
    (2, "indexes for list filters", [
        _index("Enterprise", "role"), _index("Enterprise", "name"),
        _index("SupplyItem", "chain_id"), _index("SupplyItem", "category_id"),
        _index("SupplyItem", "enterprise_id"), _index("SupplyItem", "status"),
        _index("DemandItem", "chain_id"), _index("DemandItem", "category_id"),
        _index("DemandItem", "enterprise_id"), _index("DemandItem", "status"),  # dropped in 4
        _index("Region", "name"),
    ]),
    (3, "item history and login throttling", [
        _index("Revision", "item_id"), _unique("LoginThrottle", "key"), _index("User", "active"),
        _index("Edition", "chain_id"),
    ]),
    # Measured on the bulk load (docs/BENCHMARKS.md): the IN_CATEGORY edge duplicated
    # the indexed category_id and the status index (one value on most items) filtered
    # nothing; together they cost about a third of the server's time per new item.
    # updated_at: the app's item catalog follows changes with a range query on it.
    (4, "items reach their category by category_id; no status index; change feed", [
        "DROP INDEX supplyitem_status IF EXISTS", "DROP INDEX demanditem_status IF EXISTS",
        "MATCH ()-[r:IN_CATEGORY]->() DELETE r",
        _index("SupplyItem", "updated_at"), _index("DemandItem", "updated_at"),
    ]),
    # The change feed follows a change number allocated in each write transaction
    # (graph.changes) rather than updated_at, whose indexes nothing reads any more (and
    # each costs an index write per item written); items written before get number 0,
    # which a catalog's first full scan covers.
    (5, "commit-ordered change feed: the counter and each item's seq", [
        "MERGE (m:Meta {id: 'changes'}) ON CREATE SET m.seq = 0",
        _index("SupplyItem", "seq"), _index("DemandItem", "seq"),
        "DROP INDEX supplyitem_updated_at IF EXISTS", "DROP INDEX demanditem_updated_at IF EXISTS",
        _in_batches("MATCH (i:SupplyItem) WHERE i.seq IS NULL WITH i LIMIT 20000 SET i.seq = 0 "
                    "RETURN count(*) AS n"),
        _in_batches("MATCH (i:DemandItem) WHERE i.seq IS NULL WITH i LIMIT 20000 SET i.seq = 0 "
                    "RETURN count(*) AS n"),
    ]),
    # Notifications are read per account (page, unread count in every page's header); alerts find
    # the accounts of the firms whose items fit a demand by the firm's id.
    (6, "notifications by account; accounts by enterprise", [
        _unique("Notification", "id"), _index("Notification", "user_id"), _index("User", "enterprise_id"),
    ]),
    # Proposed categories and their reviews (graph.category_suggestions): read per item and
    # per status (the officials' review queue).
    (7, "category suggestions", [
        _index("CategorySuggestion", "item_id"), _index("CategorySuggestion", "status"),
    ]),
    # Docking (graph.engagements): engagements are found by id, by pair (demand item, supplier: the
    # one-active-per-pair check), per leader, supplier and chain (lists, funnel); events per engagement.
    (8, "engagements and their events", [
        _unique("Engagement", "id"), _index("Engagement", "demand_id"), _index("Engagement", "supplier_id"),
        _index("Engagement", "leader_id"), _index("Engagement", "chain_id"), _index("Engagement", "status"),
        _unique("EngagementEvent", "id"), _index("EngagementEvent", "engagement_id"),
    ]),
    # Matchmaking rounds (graph.rounds): a round's pairs are read by round, and a firm's rounds
    # through its pairs (leader or supplier).
    (9, "matchmaking rounds and their pairs", [
        _unique("Round", "id"), _unique("RoundPair", "id"), _index("RoundPair", "round_id"),
        _index("RoundPair", "leader_id"), _index("RoundPair", "supplier_id"), _index("RoundPair", "engagement_id"),
    ]),
    # Rates over time (graph.rate_snapshots): one snapshot per month, scope and scope id, never rewritten;
    # read by month (was it taken?) and by scope (a chain's or a leader's series).
    (10, "monthly localization rate snapshots", [
        _unique("RateSnapshot", "id"), _index("RateSnapshot", "month"), _index("RateSnapshot", "scope"),
    ]),
    # Server-side sign-in sessions (graph.sessions): read by id on every signed-in request.
    (11, "server-side sessions", [
        _unique("UserSession", "id"),
    ]),
    # Import jobs (graph.import_jobs): read by id (the job page, any worker) and per account (its list).
    (12, "import jobs", [
        _unique("ImportJob", "id"), _index("ImportJob", "owner_id"),
    ]),
    # The potential rate's per-item verdicts (graph.potential): read by demand item id.
    (13, "potential-rate checks of open demand items", [
        _unique("PotentialCheck", "demand_id"),
    ]),
]

LATEST = MIGRATIONS[-1][0]


def current_version(db: GraphDB) -> int:
    return db.read(_read_version)


def migrate(db: GraphDB) -> list[int]:
    """Apply pending migrations; returns the versions applied now."""
    version = current_version(db)
    if version > LATEST:
        raise SchemaTooNew(
            f"the database has schema version {version}, newer than this code's {LATEST}: "
            "upgrade the platform before using this database")
    applied = []
    for number, title, statements in MIGRATIONS:
        if number <= version:
            continue
        for statement in statements:
            # Schema changes run each in a transaction of their own (Neo4j refuses
            # to mix them with data writes).
            while db.write(_run_statement, statement) and isinstance(statement, _in_batches):
                pass
        db.write(_record_version, number, title)
        applied.append(number)
    return applied


def constraints(db: GraphDB) -> list[dict]:
    """Uniqueness constraints as {label, property} dicts."""
    return db.read(_read_constraints)


def _run_statement(tx: ManagedTransaction, statement: LiteralString) -> int:
    """Run one statement; a batched one returns the rows it changed, any other 0."""
    result = tx.run(statement)
    if isinstance(statement, _in_batches):
        return int(result.single()["n"])
    result.consume()
    return 0


def _read_version(tx: ManagedTransaction) -> int:
    record = tx.run("MATCH (m:Meta {id: 'schema'}) RETURN m.version AS version").single()
    return int(record["version"]) if record and record["version"] is not None else 0


def _record_version(tx: ManagedTransaction, number: int, title: str) -> None:
    tx.run(
        "MERGE (m:Meta {id: 'schema'}) "
        "SET m.version = $number, m.history = coalesce(m.history, []) + [$entry]",
        number=number, entry=f"{number}: {title}",
    ).consume()


def _read_constraints(tx: ManagedTransaction) -> list[dict]:
    result = tx.run("SHOW CONSTRAINTS").data()
    return [{"name": r["name"], "label": r["labelsOrTypes"][0], "property": r["properties"][0],
             "type": r["type"]} for r in result]
