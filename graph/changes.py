"""The change counter: one number per write that changes what lists or matching read.

Each such write calls `next_seq` first, inside its own transaction, and stamps the
items it touches with the number. The counter is one record that every such write
updates, so writers serialise on it (a held lock on Neo4j, a retried conflict on
ArcadeDB): the numbers are handed out in commit order, and a reader that has seen
every change up to n needs only `seq > n` next time, with no clock involved. Taking
the counter first also makes the reads that follow in the same transaction (a
version compare-and-set, say) see every earlier writer's commit.
"""
from __future__ import annotations

from typing import LiteralString

from neo4j import ManagedTransaction

COUNTER_ID = "changes"
_NEXT: LiteralString = """
MERGE (m:Meta {id: 'changes'})
SET m.seq = coalesce(m.seq, 0) + 1
RETURN m.seq AS seq
"""
_LAST: LiteralString = "OPTIONAL MATCH (m:Meta {id: 'changes'}) RETURN coalesce(m.seq, 0) AS seq"


def next_seq(tx: ManagedTransaction) -> int:
    """Allocate the next change number in this write transaction."""
    return int(tx.run(_NEXT).single()["seq"])


def last_seq(tx: ManagedTransaction) -> int:
    """The newest change number committed (0 before any)."""
    return int(tx.run(_LAST).single()["seq"])
