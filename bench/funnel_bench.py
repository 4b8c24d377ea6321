"""Benchmark of the docking funnel (`make bench-funnel`): the officials' funnel over N engagements made
through the real engagements service, through the API and split into its graph read and its figures.

1. data: a fresh embedded server, `init_db`, `seed_generate` (deterministic), then N invitations of local
   SMEs for published demand items by an official (engagements.invite), a share of them moved on through
   the stages (accepted, contact, samples, qualification, contracted; some declined or closed), as a year of
   docking would leave them;
2. GET /api/v1/engagements/funnel (all chains, and the largest chain) through the Flask app in process,
   warm: p50/p95 over the repeats;
3. the same answer split: the graph read (graph.funnel.projection) and the pure figures
   (matchmaker.analytics.funnel.funnels) on the read projection, as the baseline of what the request adds.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from graph import funnel as funnel_repo
from graph.db import GraphDB
from graph.server import EmbeddedServer
from matchmaker import create_app
from matchmaker.analytics.funnel import funnels
from matchmaker.docking import engagements
from matchmaker.matching.source import GraphSource
from matchmaker.services import accounts
from matchmaker.services.generator import Plan
from matchmaker.services.permissions import Principal
from matchmaker.services.reference import init_db
from matchmaker.services.seeding import seed_generate

from . import common

SECTION = "funnel"
HOME_REGION = "510100"
# Where an engagement stops, as shares of all invitations (a year of docking: most stop early).
PATH = ("accepted", "contact", "samples", "qualification", "contracted")
STOPS = {"invited": 0.25, "declined": 0.10, "accepted": 0.10, "contact": 0.15, "samples": 0.10,
         "qualification": 0.05, "contracted": 0.15, "closed": 0.10}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=2_000)
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--engagements", type=int, default=2_000)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--report", default=str(common.DEFAULT_REPORT), help="'-' prints only")
    args = parser.parse_args(argv)
    for name in ("enterprises", "items", "engagements", "repeats"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    return args


def make_engagements(db: GraphDB, official: Principal, count: int, rng: random.Random) -> Counter:
    demands = [r for r in GraphSource(db, "demand").changes_since(0, 10**9) if r["status"] == "published"]
    supplies = [r for r in GraphSource(db, "supply").changes_since(0, 10**9)
                if r["status"] == "published" and r.get("local")]
    stops, made = list(STOPS), Counter()
    while made.total() < count:
        demand, supply = rng.choice(demands), rng.choice(supplies)
        try:
            g = engagements.invite(db, official, demand["id"], supply["enterprise_id"], supply["id"])
        except Exception:  # noqa: BLE001 - an active pair already: pick another
            continue
        stop = rng.choices(stops, weights=[STOPS[s] for s in stops])[0]
        _walk(db, official, g, stop, demand)
        made[stop] += 1
        if made.total() % 200 == 0:
            print(f"  {made.total()} engagements", file=sys.stderr)
    return made


def _walk(db: GraphDB, official: Principal, g: dict, stop: str, demand: dict) -> None:
    if stop == "invited":
        return
    if stop == "declined":
        engagements.move(db, official, g["id"], "declined", reason="price")
        return
    for status in PATH:
        if stop == "closed" and status == "contact":
            engagements.move(db, official, g["id"], "closed", reason="quality")
            return
        extra = {"quantity": 100, "value": float(demand.get("value") or 100_000), "start_date": "2027-01-01"} \
            if status == "contracted" else {}
        engagements.move(db, official, g["id"], status, **extra)
        if status == stop:
            return


def timed(fn, repeats: int) -> list[float]:
    fn()  # warm
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def execute(args: argparse.Namespace) -> dict:
    run = {"machine": common.machine(), "args": vars(args), "started": common.utc_now(),
           "load": common.load_average(), "revision": common.git_revision()}
    with tempfile.TemporaryDirectory() as tmp:
        server = EmbeddedServer(Path(tmp) / "graph")
        settings, _ = server.start()
        try:
            db = GraphDB(settings)
            init_db(db, HOME_REGION)
            start = time.perf_counter()
            seed_generate(db, Plan(args.enterprises, args.items, 1), HOME_REGION)
            run["seed_s"] = time.perf_counter() - start
            user = accounts.create_user(db, email="bench-funnel@bench.example.cn", password="bench-password-1",
                                        role="official", active=True)
            official = Principal(user["id"], "official", None, user["email"])
            start = time.perf_counter()
            run["stops"] = make_engagements(db, official, args.engagements, random.Random(7))
            run["engage_s"] = time.perf_counter() - start
            chain = max(Counter(g["chain_id"] for g in funnel_repo.projection(db)[0]).items(), key=lambda kv: kv[1])[0]
            run["chain"] = chain
            common.in_process_app_env()
            app = create_app({"GRAPH_DB": db, "HOME_REGION": HOME_REGION, "MATCH_BUILDER_THREAD": False,
                              "VAR_DIR": str(Path(tmp) / "var")})
            token, _ = accounts.issue_token(db, user)
            client, headers = app.test_client(), {"Authorization": f"Bearer {token}"}

            def api(query: str):
                def call():
                    got = client.get(f"/api/v1/engagements/funnel{query}", headers=headers)
                    assert got.status_code == 200, got.data[:300]
                return call

            run["api_all"] = timed(api(""), args.repeats)
            run["api_chain"] = timed(api(f"?chain={chain}"), args.repeats)
            run["read_all"] = timed(lambda: funnel_repo.projection(db), args.repeats)
            engs, events = funnel_repo.projection(db)
            run["figures_all"] = timed(lambda: funnels(engs, events, by_chain=lambda g: g.get("chain_id"),
                                                        by_leader=lambda g: g.get("leader_id")), args.repeats)
            run["events"] = len(events)
        finally:
            server.stop()
    return run


def render(run: dict) -> str:
    a = run["args"]

    def row(name: str, samples: list[float], base: list[float] | None = None) -> str:
        p50, p95 = common.percentile(samples, 50), common.percentile(samples, 95)
        ratio = f"{p50 / common.percentile(base, 50):.1f}x" if base else ""
        return f"| {name} | {p50 * 1000:.0f} ms | {p95 * 1000:.0f} ms | {ratio} |"

    m = run["machine"]
    lines = [f"### Docking funnel\n\nRun {run['started']} on {m['cpu_model']} ({m['cpus']} usable CPUs, "
             f"{m['ram_gib']:.0f} GiB, Python {m['python']}), load before {run['load']}, revision {run['revision']}.",
             "",
             f"{a['enterprises']:,} enterprises, {a['items']:,} items (seeded in {run['seed_s']:.0f} s); "
             f"{sum(run['stops'].values()):,} engagements with {run['events']:,} events made through the "
             f"engagements service in {run['engage_s']:.0f} s (stops: "
             + ", ".join(f"{k} {v}" for k, v in sorted(run["stops"].items())) + f"); largest chain `{run['chain']}`.",
             "",
             "| warm, in process | p50 | p95 | vs the pure figures |",
             "| --- | ---: | ---: | ---: |",
             row("GET /api/v1/engagements/funnel (all chains)", run["api_all"], run["figures_all"]),
             row(f"GET /api/v1/engagements/funnel?chain={run['chain']}", run["api_chain"], run["figures_all"]),
             row("graph read of the projection (all chains)", run["read_all"], run["figures_all"]),
             row("pure figures on the projection (baseline)", run["figures_all"]),
             ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    run = execute(args)
    body = render(run)
    print(body)
    if args.report != "-":
        common.write_section(Path(args.report), SECTION, body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
