"""What the match index reads: items with the fields matching needs, in change-number order.

One write transaction stamps all the items it touches with one change number
(graph.changes), so a page never ends inside a number: a page that would is cut
back to the last whole number, and a number with more items than a page is read
whole.
"""
from __future__ import annotations

from typing import Callable, Iterator, LiteralString

from neo4j import ManagedTransaction

from .changes import feed_page, feed_queries, last_seq
from .db import GraphDB, rows
from .items import KINDS

MATCH_FIELDS: dict[str, tuple[str, ...]] = {
    "supply": ("id", "seq", "status", "name", "description", "enterprise_id", "category_id", "chain_id", "unit",
               "capacity", "certifications", "enterprise_certifications", "local", "tier"),
    "demand": ("id", "seq", "status", "name", "description", "enterprise_id", "category_id", "chain_id", "unit",
               "quantity", "required_certifications", "prefer_local", "local", "tier", "value",
               "current_supplier_local"),
}


def _projection(kind: str) -> str:
    return ", ".join(f"i.{name} AS {name}" for name in MATCH_FIELDS[kind])


_QUERIES: dict[str, dict[str, LiteralString]] = {
    kind: {
        **feed_queries(label, _projection(kind)),
        "all": f"MATCH (i:{label}) RETURN {_projection(kind)}",
        "digest": f"MATCH (i:{label}) RETURN i.id AS id, i.seq AS seq",
        "generation": "OPTIONAL MATCH (m:Meta {id: 'catalog'}) RETURN coalesce(m.generation, 0) AS generation",
    } for kind, (label, _) in KINDS.items()}  # type: ignore[misc]


def max_seq(db: GraphDB) -> int:
    return db.read(last_seq)


def generation(db: GraphDB, kind: str) -> int:
    """Bumped by bulk deletes, which leave no change behind: an index must then be rebuilt."""
    return db.read(lambda tx: tx.run(_QUERIES[kind]["generation"]).single()["generation"])


def changes_after(db: GraphDB, kind: str, after: int, limit: int) -> list[dict]:
    """Items with a change number above `after`, oldest first, about `limit` of them in whole numbers."""
    return db.read(_page, kind, after, limit)


def _page(tx: ManagedTransaction, kind: str, after: int, limit: int) -> list[dict]:
    return feed_page(tx, _QUERIES[kind], after, limit, lambda r: _row(r, kind))


def scan(db: GraphDB, kind: str, consume: Callable[[Iterator[dict]], None]) -> None:
    """Stream every item of `kind` into `consume`, inside one read transaction."""
    fields = MATCH_FIELDS[kind]

    def work(tx: ManagedTransaction) -> None:
        consume(_row(dict(zip(fields, record)), kind) for record in tx.run(_QUERIES[kind]["all"]))
    db.read(work)


def id_seqs(db: GraphDB, kind: str) -> list[tuple[str, int]]:
    """(id, change number) of every item of `kind`: what the index's consistency check compares."""
    found = db.read(lambda tx: tx.run(_QUERIES[kind]["digest"]).values())
    return [(item_id, int(seq or 0)) for item_id, seq in found]


def _row(record: dict, kind: str) -> dict:
    return {**record, "kind": kind, "seq": int(record.get("seq") or 0)}


_OFFERS: LiteralString = (f"MATCH (i:SupplyItem {{enterprise_id: $enterprise_id}}) WHERE i.status = 'published' "
                          f"RETURN {_projection('supply')} ORDER BY i.id LIMIT $limit")  # type: ignore[assignment]
_FIRM_FIELDS: LiteralString = ".id, .name, .name_en, .role, .tier, .region_code, .local, .certifications"
_FIRMS: LiteralString = f"UNWIND $ids AS id MATCH (e:Enterprise {{id: id}}) RETURN e {{{_FIRM_FIELDS}}} AS enterprise"


def offers_of(db: GraphDB, enterprise_id: str, limit: int) -> list[dict]:
    """An enterprise's published supply items with the fields matching reads."""
    return [_row(r, "supply") for r in db.read(lambda tx: tx.run(_OFFERS, enterprise_id=enterprise_id,
                                                                   limit=limit).data())]


_DETAILS: dict[str, LiteralString] = {
    kind: f"""
UNWIND $firm_ids AS id MATCH (e:Enterprise {{id: id}})
RETURN 'firm' AS what, e.id AS id, e {{{_FIRM_FIELDS}}} AS enterprise, null AS name
UNION ALL
UNWIND $item_ids AS id MATCH (i:{label} {{id: id}})
RETURN 'item' AS what, i.id AS id, null AS enterprise, i.name AS name
""" for kind, (label, _) in KINDS.items()}  # type: ignore[misc]


def suggestion_details(db: GraphDB, firm_ids: list[str], kind: str, item_ids: list[str]) -> tuple[dict, dict]:
    """({firm id: what `enterprises` gives}, {item id: name}) in one query: a suggestion list's firms
    and matched items (the whole items of items_by_ids cost twice the time here)."""
    found = db.read(rows, _DETAILS[kind], firm_ids=list(firm_ids), item_ids=list(item_ids))
    firms = {r["id"]: r["enterprise"] for r in found if r["what"] == "firm"}
    names = {r["id"]: r["name"] or "" for r in found if r["what"] == "item"}
    return firms, names


def enterprises(db: GraphDB, ids: list[str]) -> dict[str, dict]:
    """{id: the fields a suggestion shows of its firm} for those ids that exist."""
    found = db.read(lambda tx: tx.run(_FIRMS, ids=list(ids)).data())
    return {r["enterprise"]["id"]: r["enterprise"] for r in found}
