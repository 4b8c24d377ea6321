"""Alternative bulk-write Cypher for enterprises and items, measured against the graph layer's.

    python -m bench.cypher_alternatives [--enterprises 10000] [--items 100000] [--batch 5000]

Not part of `make bench`: it backs the proposals in the "load" section of
docs/BENCHMARKS.md. Each variant gets its own fresh embedded server (after
`init_db`) and the same generated batches; the variants take turns batch by
batch, in a rotating order, so a noisy machine hits them all alike. For each
batch the write time of a variant is divided by the write time of the
current graph-layer code on the same batch; the report gives the medians.

Variants:

current      graph.enterprises.upsert_many / graph.items.upsert_many as they are.
create-rels  the same upserts, but every relationship the query has just
             deleted is re-created with CREATE instead of MERGE (the owner
             edge is deleted whoever the owner is); still a full upsert.
insert-path  one lookup of the batch's ids, then CREATE for the new rows
             (node and edges in one pattern) and the current upsert for
             the rows that exist; for new enterprises the item sync is skipped.

References (not equivalent: they write less, to show where the time goes):

insert-no-category-edge  the insert path without the IN_CATEGORY edge (a model change:
                 items keep their indexed category_id).
nodes-indexed    `UNWIND $rows AS r CREATE (n:<Label>) SET n = r` of the flat rows into
                 the real labels, with their unique constraints and indexes; no edges.
nodes-plain      the same into labels with no index (the load benchmark's baseline).
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from neo4j._codec.packstream.v1 import _rust_pack
from tqdm import tqdm

from graph import enterprises as enterprise_repo
from graph import items as item_repo
from graph.db import GraphDB
from graph.server import EmbeddedServer
from matchmaker.regions import RegionTable
from matchmaker.services.generator import Generator, Plan
from matchmaker.services.reference import init_db
from matchmaker.services.taxonomy import read_taxonomy

from . import common
from .common import quantiles, rate

HOME_REGION = "510100"

_ENTERPRISE_SET = """
SET e.name = r.name, e.name_en = r.name_en, e.role = r.role, e.tier = r.tier,
    e.region_code = r.region_code, e.local = r.local, e.certifications = r.certifications,
    e.annual_procurement = r.annual_procurement, e.local_procurement = r.local_procurement,
    e.description = r.description, e.chain_ids = r.chain_ids,
    e.search = toLower(r.name + ' ' + coalesce(r.name_en, '')),
    e.updated_at = $now"""

ENTERPRISE_CREATE_RELS = """
UNWIND $rows AS r
MERGE (e:Enterprise {id: r.id})
ON CREATE SET e.created_at = $now, e.version = 0""" + _ENTERPRISE_SET + """, e.version = e.version + 1
WITH e, r
OPTIONAL MATCH (e)-[old:LOCATED_IN|LEADS|MEMBER_OF]->()
DELETE old
WITH DISTINCT e, r
MATCH (g:Region {code: r.region_code})
CREATE (e)-[:LOCATED_IN]->(g)
WITH e, r
UNWIND r.chain_ids AS chain_id
WITH DISTINCT e, r, chain_id
MATCH (c:Chain {id: chain_id})
FOREACH (_ IN CASE WHEN r.role = 'leader' THEN [1] ELSE [] END | CREATE (e)-[:LEADS]->(c))
FOREACH (_ IN CASE WHEN r.role <> 'leader' THEN [1] ELSE [] END | CREATE (e)-[:MEMBER_OF]->(c))
"""

ENTERPRISE_INSERT = """
UNWIND $rows AS r
CREATE (e:Enterprise {id: r.id})""" + _ENTERPRISE_SET + """, e.created_at = $now, e.version = 1
WITH e, r
MATCH (g:Region {code: r.region_code})
CREATE (e)-[:LOCATED_IN]->(g)
WITH e, r
UNWIND r.chain_ids AS chain_id
WITH DISTINCT e, r, chain_id
MATCH (c:Chain {id: chain_id})
FOREACH (_ IN CASE WHEN r.role = 'leader' THEN [1] ELSE [] END | CREATE (e)-[:LEADS]->(c))
FOREACH (_ IN CASE WHEN r.role <> 'leader' THEN [1] ELSE [] END | CREATE (e)-[:MEMBER_OF]->(c))
"""

_ITEM_SET = """
SET i += r.props, i.enterprise_id = e.id, i.local = e.local, i.tier = e.tier,
    i.enterprise_certifications = e.certifications,
    i.search = r.props.search + ' ' + toLower(e.name + ' ' + coalesce(e.name_en, '')),
    i.updated_at = $now"""

ITEM_CREATE_RELS = """
UNWIND $rows AS r
MATCH (e:Enterprise {id: r.enterprise_id})
MERGE (i:%(label)s {id: r.id})
ON CREATE SET i.created_at = $now, i.version = 0""" + _ITEM_SET + """, i.version = i.version + 1
WITH i, e, r
OPTIONAL MATCH (i)-[old:IN_CATEGORY]->()
DELETE old
WITH DISTINCT i, e, r
OPTIONAL MATCH ()-[owner:%(rel)s]->(i)
DELETE owner
WITH DISTINCT i, e, r
CREATE (e)-[:%(rel)s]->(i)
WITH i, r WHERE r.props.category_id IS NOT NULL
MATCH (k:Category {id: r.props.category_id})
CREATE (i)-[:IN_CATEGORY]->(k)
"""

ITEM_INSERT = """
UNWIND $rows AS r
MATCH (e:Enterprise {id: r.enterprise_id})
CREATE (e)-[:%(rel)s]->(i:%(label)s {id: r.id})""" + _ITEM_SET + """, i.created_at = $now, i.version = 1
WITH i, r WHERE r.props.category_id IS NOT NULL
MATCH (k:Category {id: r.props.category_id})
CREATE (i)-[:IN_CATEGORY]->(k)
"""

# Reference: the insert path without the IN_CATEGORY edge (items keep category_id, indexed).
ITEM_INSERT_NO_CATEGORY_EDGE = """
UNWIND $rows AS r
MATCH (e:Enterprise {id: r.enterprise_id})
CREATE (e)-[:%(rel)s]->(i:%(label)s {id: r.id})""" + _ITEM_SET + """, i.created_at = $now, i.version = 1
"""

EXISTING = "UNWIND $ids AS id MATCH (n:%(label)s {id: id}) RETURN n.id AS id"


def _q(template: str, kind: str) -> str:
    label, rel = item_repo.KINDS[kind]
    return template % {"label": label, "rel": rel}


# -- variants: each is (write enterprises, write items) over a GraphDB ----------------
def current_enterprises(db: GraphDB, records: list[dict], now: str) -> None:
    enterprise_repo.upsert_many(db, records, now)


def current_items(db: GraphDB, kind: str, records: list[dict], now: str) -> None:
    item_repo.upsert_many(db, kind, records, now)


def create_rels_enterprises(db: GraphDB, records: list[dict], now: str) -> None:
    def work(tx):
        tx.run(ENTERPRISE_CREATE_RELS, rows=records, now=now).consume()
        tx.run(enterprise_repo._SYNC_ITEMS, rows=records).consume()
    db.write(work)


def create_rels_items(db: GraphDB, kind: str, records: list[dict], now: str) -> None:
    db.write(lambda tx: tx.run(_q(ITEM_CREATE_RELS, kind), rows=records, now=now).consume())


def insert_path_enterprises(db: GraphDB, records: list[dict], now: str) -> None:
    def work(tx):
        existing = {r["id"] for r in tx.run(EXISTING % {"label": "Enterprise"},
                                             ids=[r["id"] for r in records])}
        new = [r for r in records if r["id"] not in existing]
        old = [r for r in records if r["id"] in existing]
        if new:
            tx.run(ENTERPRISE_INSERT, rows=new, now=now).consume()
        if old:
            tx.run(enterprise_repo._UPSERT, rows=old, now=now).consume()
            tx.run(enterprise_repo._SYNC_ITEMS, rows=old).consume()
    db.write(work)


def insert_path_items(db: GraphDB, kind: str, records: list[dict], now: str,
                      insert: str = ITEM_INSERT) -> None:
    def work(tx):
        existing = {r["id"] for r in tx.run(_q(EXISTING, kind), ids=[r["id"] for r in records])}
        new = [r for r in records if r["id"] not in existing]
        old = [r for r in records if r["id"] in existing]
        if new:
            tx.run(_q(insert, kind), rows=new, now=now).consume()
        if old:
            tx.run(item_repo._QUERIES[kind]["upsert"], rows=old, now=now).consume()
    db.write(work)


def _flat(record: dict) -> dict:
    flat = {k: v for k, v in record.items() if k != "props"}
    flat.update(record.get("props") or {})
    return {k: v for k, v in flat.items() if v is not None}


def _nodes(label_of):
    def enterprises(db: GraphDB, records: list[dict], now: str) -> None:
        query = f"UNWIND $rows AS r CREATE (n:{label_of('enterprise')}) SET n = r"
        db.write(lambda tx: tx.run(query, rows=[_flat(r) for r in records]).consume())

    def items(db: GraphDB, kind: str, records: list[dict], now: str) -> None:
        query = f"UNWIND $rows AS r CREATE (n:{label_of(kind)}) SET n = r"
        db.write(lambda tx: tx.run(query, rows=[_flat(r) for r in records]).consume())
    return enterprises, items


_REAL = {"enterprise": "Enterprise", "supply": "SupplyItem", "demand": "DemandItem"}
_PLAIN = {"enterprise": "BenchEnterprise", "supply": "BenchSupply", "demand": "BenchDemand"}

VARIANTS = {
    "current": (current_enterprises, current_items),
    "create-rels": (create_rels_enterprises, create_rels_items),
    "insert-path": (insert_path_enterprises, insert_path_items),
    "insert-no-category-edge": (
        insert_path_enterprises,
        lambda db, kind, records, now: insert_path_items(db, kind, records, now,
                                                         ITEM_INSERT_NO_CATEGORY_EDGE)),
    "nodes-indexed": _nodes(_REAL.__getitem__),
    "nodes-plain": _nodes(_PLAIN.__getitem__),
}
EQUIVALENT = {"current", "create-rels", "insert-path"}

# A fingerprint of what was written, to check that the variants agree.
_FINGERPRINT = """
MATCH (i:%(label)s)<-[:%(rel)s]-(e:Enterprise)
OPTIONAL MATCH (i)-[:IN_CATEGORY]->(k:Category)
RETURN count(i) AS items, count(k) AS categorised, sum(i.version) AS versions,
       count(DISTINCT e) AS owners, sum(size(i.search)) AS search_chars,
       sum(CASE WHEN i.local THEN 1 ELSE 0 END) AS local
"""
_FINGERPRINT_E = """
MATCH (e:Enterprise)
OPTIONAL MATCH (e)-[l:LOCATED_IN]->(:Region)
OPTIONAL MATCH (e)-[m:LEADS|MEMBER_OF]->(:Chain)
RETURN count(DISTINCT e) AS enterprises, count(DISTINCT l) AS located, count(DISTINCT m) AS chains,
       sum(e.version) AS versions
"""


def fingerprint(db: GraphDB) -> dict:
    out = {"enterprises": db.read(lambda tx: tx.run(_FINGERPRINT_E).single().data())}
    for kind in item_repo.KINDS:
        out[kind] = db.read(lambda tx, k=kind: tx.run(_q(_FINGERPRINT, k)).single().data())
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.cypher_alternatives", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--enterprises", type=int, default=10_000)
    p.add_argument("--items", type=int, default=100_000)
    p.add_argument("--batch", type=int, default=5000)
    p.add_argument("--heap", default="2g")
    p.add_argument("--variants", default=",".join(VARIANTS), help=f"any of {', '.join(VARIANTS)}")
    p.add_argument("--rewrite", action="store_true",
                   help="after the load, write the first 10%% of the items again (the update path)")
    p.add_argument("--tmpdir", default=None)
    args = p.parse_args(argv)
    names = [v.strip() for v in args.variants.split(",") if v.strip()]
    if "current" not in names:
        names.insert(0, "current")

    tmp = Path(tempfile.mkdtemp(prefix="bench-alt-", dir=args.tmpdir))
    servers = {n: EmbeddedServer(tmp / n, heap=args.heap) for n in names}
    dbs: dict[str, GraphDB] = {}
    times: dict[str, list[tuple[str, int, float]]] = {n: [] for n in names}
    started = common.utc_now()
    try:
        for n, server in servers.items():
            settings, _ = server.start()
            dbs[n] = GraphDB(settings, retry_seconds=60.0)
            init_db(dbs[n])
        agent = dbs["current"].server_agent()
        plan = Plan(args.enterprises, args.items, 1)
        gen = Generator(plan, read_taxonomy(), RegionTable.load(), HOME_REGION)
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")

        def batches():
            for records in gen.enterprise_batches(args.batch):
                yield "enterprises", None, records
            for kind, records in gen.item_batches(args.batch):
                yield "items", kind, records
            if args.rewrite:
                limit = args.items // 10
                for kind, records in Generator(Plan(args.enterprises, limit, 1), read_taxonomy(),
                                               RegionTable.load(), HOME_REGION).item_batches(args.batch):
                    yield "items again", kind, records

        total = args.enterprises + args.items + (args.items // 10 if args.rewrite else 0)
        bar = tqdm(total=total, unit="row", mininterval=2.0, file=sys.stderr)
        for k, (phase, kind, records) in enumerate(batches()):
            order = names[k % len(names):] + names[:k % len(names)]
            for n in order:
                if phase == "items again" and n not in EQUIVALENT:
                    continue  # plain CREATE is no upsert
                write_e, write_i = VARIANTS[n]
                t = time.perf_counter()
                if kind is None:
                    write_e(dbs[n], records, now)
                else:
                    write_i(dbs[n], kind, records, now)
                times[n].append((phase, len(records), time.perf_counter() - t))
            bar.update(len(records))
        bar.close()
        prints = {n: fingerprint(db) for n, db in dbs.items() if n in EQUIVALENT}
    finally:
        for db in dbs.values():
            db.close()
        for server in servers.values():
            try:
                server.stop()
            except Exception as exc:  # noqa: BLE001
                print(f"stop failed: {exc}", file=sys.stderr)
        shutil.rmtree(tmp, ignore_errors=True)

    phases = list(dict.fromkeys(ph for ph, _, _ in times["current"]))
    print(f"Cypher alternatives, {started}: {args.enterprises:,} enterprises, {args.items:,} items, "
          f"batch {args.batch}, {agent}, {common.machine()['cpus']} CPUs, heap {args.heap} each, "
          f"{'neo4j-rust-ext' if _rust_pack else 'pure Python'} PackStream encoder")
    print()
    print("| variant | phase | rows/s (total) | batch rows/s p10 / median / p90 | "
          "speed-up vs current per batch p10 / median / p90 | last-tenth batch rows/s |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for n in names:
        for ph in phases:
            mine = [(rows, t) for (p_, rows, t) in times[n] if p_ == ph]
            if not mine:
                continue
            base = [t for (p_, _rows, t) in times["current"] if p_ == ph]
            rows_ = sum(r for r, _ in mine)
            secs = sum(t for _, t in mine)
            q = quantiles([r / t for r, t in mine])
            s = quantiles([b / t for (_, t), b in zip(mine, base)])
            tail = mine[-max(1, len(mine) // 10):]
            print(f"| {n} | {ph} | {rate(rows_ / secs)} | {rate(q[0])} / {rate(q[1])} / {rate(q[2])} | "
                  f"{s[0]:.2f} / **{s[1]:.2f}** / {s[2]:.2f} | "
                  f"{rate(statistics.median(r / t for r, t in tail))} |")
    print()
    same = all(prints[n] == prints["current"] for n in prints)
    print(f"written graphs of the equivalent variants agree: {same}")
    for n, fp in prints.items():
        print(f"  {n}: {fp}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
