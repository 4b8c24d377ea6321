"""The own evaluation set through the whole platform, as a user (or a judge) meets it.

    python -m bench.eval.platform [--split test|dev|all] [--report]

A fresh embedded graph server; the set's enterprises, supply and demand files go through the
platform's bulk import (no categories: inferred on import, as for any file); the match index is
built as `serve`'s builder builds it; then an official asks `GET /api/v1/demand-items/<id>/matches`
for every demand of the split. Suggestions are suppliers, so the judgments are read per supplier:
a supplier's grade for a demand is the best grade of its items.

Two rankings of suppliers, side by side:
- platform: the API's order (fit grades, then certifications held, local first among equals, score);
- text order: the same engine's item fits, best first, each supplier at its first item (no grades,
  no certifications, no locality): what the ranking rules change.
Plus local-first@1: of the demands preferring local supply that have a local supplier among the
best-graded ones, the share whose first suggestion is such a local supplier.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from bench.common import PROJECT_DIR, in_process_app_env, machine, utc_now, write_section
from graph import enterprises as enterprise_repo
from graph.db import GraphDB
from graph.server import EmbeddedServer
from matchmaker.matching.engine import Filters
from matchmaker.matching.runtime import KINDS
from matchmaker.services.accounts import create_user, issue_token
from matchmaker.services.imports import import_file
from matchmaker.services.reference import init_db

from . import metrics
from .datasets import own_set

HOME_REGION = "510100"
EVAL_DIR = PROJECT_DIR / "seeds" / "matching_eval"
FILES = (("enterprises", "enterprises.csv"), ("supply", "supply.csv"), ("demand", "demand.csv"))
REPORT = PROJECT_DIR / "docs" / "MATCHING.md"


def supplier_grades(item_grades: dict[str, int], firm_of: dict[str, str]) -> dict[str, int]:
    """A supplier's grade for a demand: the best grade of its items."""
    out: dict[str, int] = {}
    for item, grade in item_grades.items():
        firm = firm_of.get(item)
        if firm:
            out[firm] = max(out.get(firm, 0), grade)
    return out


def local_first_at_1(ranked: list[str], grades: dict[str, int], local: dict[str, bool]) -> float | None:
    """1 when the first suggestion is a local supplier of the best grade any supplier has, 0 when not,
    None when no local supplier has that grade (the demand cannot show local-first)."""
    best = max(grades.values(), default=0)
    if best < metrics.RELEVANT or not any(local.get(f) and g == best for f, g in grades.items()):
        return None
    return 1.0 if ranked and local.get(ranked[0]) and grades.get(ranked[0], 0) == best else 0.0


def text_order(engine, demand: dict, firm_of: dict[str, str]) -> list[str]:
    fits = engine.item_fits("supply", demand, Filters(exclude_enterprise=demand.get("enterprise_id")))
    order: list[str] = []
    for fit in sorted(fits, key=lambda f: -f.fit):
        firm = firm_of.get(fit.item_id)
        if firm and firm not in order:
            order.append(firm)
    return order[:10]


def run(split: str) -> list[dict]:
    data = own_set()
    queries = [q for q in data.queries if split == "all" or q.split == split]
    firm_of = {d.id: d.record["enterprise_id"] for d in data.documents}
    tmp = Path(tempfile.mkdtemp(prefix="platform-eval-"))
    server, db, started = EmbeddedServer(tmp / "graph"), None, False
    try:
        settings, started = server.start()
        db = GraphDB(settings, retry_seconds=60.0)
        init_db(db)
        for kind, filename in FILES:
            report = import_file(db, kind, (EVAL_DIR / filename).read_bytes(), filename, home_region=HOME_REGION)
            assert report.applied and not report.errors, (kind, report.errors[:3])
        token, _ = issue_token(db, create_user(db, email="eval-official@eval.example.cn",
                                               password="eval-password-1", role="official",
                                               enterprise_id=None, active=True))
        os.environ.setdefault("VAR_DIR", str(tmp / "var"))
        in_process_app_env()
        from matchmaker import create_app
        app = create_app({"GRAPH_DB": db, "HOME_REGION": HOME_REGION, "MATCH_BUILDER_THREAD": False,
                          "LIST_BUILDER_THREAD": False, "ALERT_BACKGROUND": False})
        runtime = app.extensions["matching"]
        for kind in KINDS:
            runtime.build(kind)
        client, engine = app.test_client(), runtime.engine()
        headers = {"Authorization": f"Bearer {token}"}
        rankings: dict[str, dict[str, list[str]]] = {"platform": {}, "text order": {}}
        local = {firm: bool((enterprise_repo.get(db, firm) or {}).get("local")) for firm in data.enterprises}
        for q in queries:
            response = client.get(f"/api/v1/demand-items/{q.id}/matches?limit=10", headers=headers)
            assert response.status_code == 200, response.get_json()
            found = response.get_json()["data"]
            rankings["platform"][q.id] = [s["enterprise"]["id"] for s in found]
            demand = client.get(f"/api/v1/demand-items/{q.id}", headers=headers).get_json()["data"]
            rankings["text order"][q.id] = text_order(engine, demand, firm_of)
        encoder = getattr(runtime.encoder, "name", "none")
        return [_scores(method, queries, ranked, data.grades, firm_of, local, encoder)
                for method, ranked in rankings.items()]
    finally:
        if db is not None:
            db.close()
        if started:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def _scores(method, queries, ranked, grades, firm_of, local, encoder) -> dict:
    by_firm = {q.id: supplier_grades(grades.get(q.id, {}), firm_of) for q in queries}
    local_first = [local_first_at_1(ranked[q.id], by_firm[q.id], local) for q in queries
                   if q.record.get("prefer_local", "").strip().lower() not in ("false", "0", "no")]
    shown = [x for x in local_first if x is not None]
    cross = [q for q in queries if q.kind.startswith("cross")]
    return {"method": method, "queries": len(queries), "encoder": encoder,
            "recall@10": metrics.mean([metrics.recall_at(ranked[q.id], by_firm[q.id]) for q in queries]),
            "ndcg@10": metrics.mean([metrics.ndcg_at(ranked[q.id], by_firm[q.id]) for q in queries]),
            "mrr": metrics.mean([metrics.reciprocal_rank(ranked[q.id], by_firm[q.id]) for q in queries]),
            "cross_ndcg@10": metrics.mean([metrics.ndcg_at(ranked[q.id], by_firm[q.id]) for q in cross]),
            "local_first@1": metrics.mean(shown), "local_first_n": len(shown)}


def table(results: list[dict]) -> str:
    lines = ["| method | demands | recall@10 | nDCG@10 | MRR | cross-language nDCG@10 | local-first@1 (demands) |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in results:
        lines.append(f"| {r['method']} | {r['queries']} | {r['recall@10']:.3f} | {r['ndcg@10']:.3f} | "
                     f"{r['mrr']:.3f} | {r['cross_ndcg@10']:.3f} | {r['local_first@1']:.3f} ({r['local_first_n']}) |")
    return "\n".join(lines)


def write_report(results: list[dict], split: str) -> None:
    m = machine()
    write_section(REPORT, "platform-eval",
                  f"Run {utc_now()} on {m['cpus']} CPUs ({m['cpu_model']}), Python {m['python']}; split {split}; "
                  f"encoder {results[0]['encoder']}; suppliers judged by their best item.\n\n{table(results)}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", default="test", choices=("test", "dev", "all"))
    parser.add_argument("--report", action="store_true", help="write docs/MATCHING.md's platform block")
    args = parser.parse_args(argv)
    results = run(args.split)
    print(table(results), file=sys.stdout)
    if args.report:
        write_report(results, args.split)


if __name__ == "__main__":
    main()
