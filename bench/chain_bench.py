"""Chain benchmark (issue 10): the largest chain's gap map, localization breakdown and resilience through the API.

    python -m bench.chain_bench                                  # 10k enterprises / 100k items; rewrites "chains"
    python -m bench.chain_bench --enterprises 1000 --items 10000 --report -   # a quick run, prints only
    python -m bench.chain_bench --data-dir DIR                   # reuse a loaded embedded-server data dir
    python -m bench.chain_bench --data-dir DIR --var-dir VAR     # ... and the indexes built in VAR

Steps, in one run:
1. data: a fresh embedded server gets `init_db` and `seed_generate` (the path of `seed generate`), or
   `--data-dir` reuses a loaded one;
2. the largest chain is the one with the most demand items; an official's account and API token are made;
3. the app (`create_app`, lexical matching: MATCH_ENCODER=none) answers in this process through Flask's test
   client, so the figures are the app and the graph server without HTTP or gunicorn. The first call of each
   endpoint is reported as cold (for /localization it includes asking the matching engine for every open
   item's best supplier: the potential, then kept 60 s), then `--rounds` rounds call each endpoint once
   (interleaved, so noise spreads evenly): warm p50 / p95 / max per endpoint. Besides the chain's three
   routes, the officials' dashboard and the rates of every chain (GET /api/v1/localization), which read
   every leader's items. Baseline in the same rounds: GET /api/v1/chains/<id> (the chain's taxonomy, no
   item read).
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from graph import enterprises as enterprise_repo
from graph import items as item_repo
from graph.db import GraphDB, rows
from graph.server import EmbeddedServer
from matchmaker.services.accounts import create_user, issue_token
from matchmaker.services.generator import Plan
from matchmaker.services.reference import init_db
from matchmaker.services.seeding import seed_generate

from . import common
from .common import percentile

SECTION = "chains"
HOME_REGION = "510100"
SEED = 1
AIM_MS = 1000.0
ENDPOINTS = ("gap-map", "localization", "resilience")
EVERY_CHAIN = {"dashboard": "/api/v1/dashboard", "all-chains": "/api/v1/localization"}

_LARGEST = """
MATCH (d:DemandItem) WHERE d.chain_id IS NOT NULL
RETURN d.chain_id AS chain_id, count(d) AS demand_items ORDER BY demand_items DESC, chain_id LIMIT 1
"""
_CHAIN_COUNTS = """
MATCH (k:Category {chain_id: $chain})
CALL { WITH k OPTIONAL MATCH (s:SupplyItem {category_id: k.id}) RETURN count(s) AS supply }
CALL { WITH k OPTIONAL MATCH (d:DemandItem {category_id: k.id}) RETURN count(d) AS demand }
RETURN count(k) AS categories, sum(supply) AS supply, sum(demand) AS demand
"""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--heap", default="2g", help="the graph server's JVM heap (-Xmx)")
    parser.add_argument("--data-dir", help="a loaded embedded-server data dir to reuse (nothing is generated)")
    parser.add_argument("--var-dir", help="the app's var dir: list and match indexes built there are reused")
    parser.add_argument("--keep", action="store_true", help="keep the generated data dir for --data-dir")
    parser.add_argument("--tmpdir", default=None)
    parser.add_argument("--report", default=str(common.DEFAULT_REPORT), help="'-' prints only")
    args = parser.parse_args(argv)
    if args.enterprises < 20 or args.items < 100:
        parser.error("--enterprises must be at least 20 and --items at least 100")
    if not 1 <= args.rounds <= 10_000:
        parser.error("--rounds must be between 1 and 10000")
    if args.data_dir and not Path(args.data_dir).is_dir():
        parser.error(f"--data-dir {args.data_dir} is not a directory")
    if args.var_dir and Path(args.var_dir).exists() and not Path(args.var_dir).is_dir():
        parser.error(f"--var-dir {args.var_dir} is not a directory (a new one is made when missing)")
    return args


def endpoint_paths(chain: str) -> dict[str, str]:
    """What is timed, by name: the chain's routes, the every-chain routes, the baseline last."""
    return {**{name: f"/api/v1/chains/{chain}/{name}" for name in ENDPOINTS}, **EVERY_CHAIN,
            "baseline": f"/api/v1/chains/{chain}"}


def _timed_get(client, path: str, headers: dict) -> float:
    start = time.perf_counter()
    response = client.get(path, headers=headers)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise RuntimeError(f"GET {path}: {response.status_code} {response.get_data(as_text=True)[:300]}")
    return elapsed


def execute(args: argparse.Namespace) -> dict:
    info = common.RunInfo(args)
    tmp = Path(tempfile.mkdtemp(prefix="bench-chains-", dir=args.tmpdir))
    data_dir = Path(args.data_dir).resolve() if args.data_dir else tmp / "graph"
    print(f"working directory {tmp}, graph data {data_dir}", file=sys.stderr)
    server, db, started = EmbeddedServer(data_dir, heap=args.heap), None, False
    out: dict = {"info": info}
    try:
        settings, started = server.start()
        db = GraphDB(settings, retry_seconds=60.0)
        init_db(db)
        if not args.data_dir:
            start = time.perf_counter()
            seed_generate(db, Plan(args.enterprises, args.items, SEED), HOME_REGION)
            out["seed_s"] = time.perf_counter() - start
        out["counts"] = {"enterprises": enterprise_repo.count(db), "supply": item_repo.count(db, "supply"),
                         "demand": item_repo.count(db, "demand")}
        chain = db.read(rows, _LARGEST)[0]["chain_id"]
        out["chain"] = chain
        out["chain_counts"] = db.read(rows, _CHAIN_COUNTS, chain=chain)[0]
        print(f"data {out['counts']}, largest chain {chain} {out['chain_counts']}", file=sys.stderr)
        user = create_user(db, email=f"bench-official-{os.getpid()}@bench.example.cn", password="bench-password-1",
                           role="official", enterprise_id=None, active=True)
        token, _ = issue_token(db, user)
        headers = {"Authorization": f"Bearer {token}"}

        var_dir = Path(args.var_dir).resolve() if args.var_dir else tmp / "var"
        os.environ["VAR_DIR"] = str(var_dir)
        os.environ["MATCH_ENCODER"] = "none"
        from matchmaker import create_app
        common.in_process_app_env()
        app = create_app({"GRAPH_DB": db, "HOME_REGION": HOME_REGION, "MATCH_BUILDER_THREAD": False,
                          "LIST_BUILDER_THREAD": False, "MATCH_ENCODER": "none", "VAR_DIR": str(var_dir)})
        client = app.test_client()
        paths = out["paths"] = endpoint_paths(chain)
        # The match and list indexes, as `serve`'s builder threads make them: without them the engine scans
        # every item per query, and the rates, coverage and resilience read the graph instead of the columns.
        out["index_s"] = common.build_indexes(app)
        out["index_reused"] = out["index_s"] < 60 and bool(args.var_dir)
        start = time.perf_counter()
        app.extensions["matching"].engine()
        out["engine_s"] = time.perf_counter() - start
        out["cold"] = {name: _timed_get(client, path, headers) for name, path in paths.items()}
        samples: dict[str, list[float]] = {name: [] for name in paths}
        for _ in range(args.rounds):
            for name, path in paths.items():
                samples[name].append(_timed_get(client, path, headers))
        out["samples"] = samples
    finally:
        if db is not None:
            db.close()
        if started:
            server.stop()
        info.load_after = common.load_average()
        if args.keep:
            print(f"kept {tmp}; reuse the data with --data-dir {data_dir}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return out


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds >= 0.1 else f"{seconds * 1000:,.1f} ms"


def report(out: dict) -> str:
    info, counts, chain_counts = out["info"], out["counts"], out["chain_counts"]
    m = info.machine
    lines = [
        "## Chain gap map, localization and resilience (issue 10, `make bench-chain`)", "",
        f"- **Run**: {info.started}, revision {info.revision}; load average before {info.load_before}, "
        f"after {info.load_after}",
        f"- **Machine**: {m['cpus']} CPUs ({m['cpu_model']}), {m['ram_gib']:.1f} GiB RAM, Python {m['python']}, "
        f"{m['os']}; graph server JVM -Xmx{info.args.heap}; the machine was shared with other work",
        (f"- **Data**: `seed generate` {info.args.enterprises:,} enterprises / {info.args.items:,} items "
         f"in {out['seed_s']:.0f} s" if "seed_s" in out else "- **Data**: a reused data dir (`--data-dir`)")
        + f": {counts['enterprises']:,} enterprises, {counts['supply']:,} supply and {counts['demand']:,} demand items",
        f"- **Largest chain** (most demand items): `{out['chain']}`, {chain_counts['categories']} categories, "
        f"{chain_counts['supply']:,} supply and {chain_counts['demand']:,} demand items",
        "- **How**: the app in-process (Flask test client, an official's token, lexical matching), no HTTP; "
        + ("match and list indexes reused from `--var-dir`" if out.get("index_reused") else
           f"match and list indexes built in {out['index_s']:.0f} s (`index build`)")
        + f", engine opened in {out['engine_s']:.1f} s, before the first call; {info.args.rounds} interleaved "
        f"warm rounds after one cold call each", "",
        "| GET | cold (first call) | warm p50 | warm p95 | warm max | aim (warm) |",
        "| --- | ---: | ---: | ---: | ---: | --- |"]
    for name, path in out["paths"].items():
        s = out["samples"][name]
        aim = "baseline" if name == "baseline" else (
            "under 1 s: met" if percentile(s, 95) * 1000 < AIM_MS else "under 1 s: **not met**")
        lines.append(f"| `{path}` | {_ms(out['cold'][name])} | **{_ms(percentile(s, 50))}** | "
                     f"{_ms(percentile(s, 95))} | {_ms(max(s))} | {aim} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    out = execute(args)
    text = report(out)
    print(text)
    if args.report != "-":
        common.write_section(Path(args.report), SECTION, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
