"""Benchmark of the officials' dashboard and the monthly rate snapshot (issue 10; `make bench-officials`).

    python -m bench.officials_bench                          # 10k enterprises / 100k items; rewrites "officials"
    python -m bench.officials_bench --enterprises 1000 --items 10000 --report -   # a smoke run, prints only

Steps, in one run so every number sees the same machine:

1. data: a fresh embedded server gets `init_db` and `seed_generate` (the path of `python -m matchmaker seed
   generate`, deterministic, seed 1), or `--data-dir` reuses a loaded one;
2. the app runs in-process (Flask test client, no HTTP server, no matching engine needed) against that server,
   with its list index built as `serve`'s builder thread builds it (or reused from `--var-dir`): the dashboard
   sums leaders' and categories' totals over it; an official's API token is made through
   `matchmaker.services.accounts`;
3. GET /api/v1/dashboard and GET /api/v1/chains/<largest chain>/rates are warmed up (`--warm` calls), then
   timed `--rounds` times each, interleaved; every response must be 200 and the dashboard must list 17 chains;
4. the snapshot job (`matchmaker.services.rate_snapshots.take`, what `snapshot-rates --no-potential` and
   `serve` run, both without the app, so from the graph's totals) is timed for `--months` distinct past months (each writes every scope's snapshot), then once
   more for a month already kept (the "nothing to do" path).
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from graph import enterprises as enterprise_repo
from graph import items as item_repo
from graph import rate_snapshots as snapshot_repo
from graph.db import GraphDB
from graph.server import EmbeddedServer
from matchmaker.analytics.rate_snapshots import last_ended_month, previous_month
from matchmaker.services import accounts, rate_snapshots
from matchmaker.services.generator import Plan
from matchmaker.services.reference import init_db
from matchmaker.services.seeding import seed_generate

from . import common
from .common import percentile

SECTION = "officials"
HOME_REGION = "510100"
SEED = 1
AIM_MS = 1000.0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--data-dir", default="", help="an embedded-server data dir to keep: seeded when empty, "
                                                       "reused as it is otherwise")
    parser.add_argument("--heap", default="2g", help="the embedded server's JVM heap")
    parser.add_argument("--var-dir", default="", help="the app's var dir: a list index built there is reused")
    parser.add_argument("--warm", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--months", type=int, default=3)
    parser.add_argument("--report", default=str(common.DEFAULT_REPORT), help="'-' prints only")
    args = parser.parse_args(argv)
    if not 1 <= args.enterprises <= 100_000 or not 0 <= args.items <= 1_000_000:
        parser.error("--enterprises must be in 1..100000 and --items in 0..1000000")
    if args.var_dir and Path(args.var_dir).exists() and not Path(args.var_dir).is_dir():
        parser.error(f"--var-dir {args.var_dir} is not a directory (a new one is made when missing)")
    if args.warm < 0 or args.rounds < 1 or args.months < 1:
        parser.error("--warm must be >= 0, --rounds and --months >= 1")
    return args


def _timed(call) -> tuple[float, object]:
    start = time.perf_counter()
    out = call()
    return time.perf_counter() - start, out


def _api(client, token: str, path: str) -> dict:
    response = client.get(path, headers={"Authorization": f"Bearer {token}"})
    if response.status_code != 200:
        raise SystemExit(f"{path}: status {response.status_code}: {response.get_data(as_text=True)[:300]}")
    return response.get_json()["data"]


def execute(args: argparse.Namespace) -> dict:
    info = common.RunInfo(args)
    tmp = Path(tempfile.mkdtemp(prefix="bench-officials-"))
    data_dir = Path(args.data_dir).resolve() if args.data_dir else tmp / "graph"
    server = EmbeddedServer(data_dir, heap=args.heap)
    out: dict = {"info": info}
    settings, started = server.start()
    db = GraphDB(settings)
    try:
        info.agent = db.server_agent()
        init_db(db)
        if enterprise_repo.count(db) == 0:    # a fresh dir, or a --data-dir not loaded yet
            out["seed_s"], _ = _timed(lambda: seed_generate(db, Plan(args.enterprises, args.items, SEED), HOME_REGION))
        out["counts"] = {"enterprises": enterprise_repo.count(db), "supply": item_repo.count(db, "supply"),
                         "demand": item_repo.count(db, "demand")}
        print(f"data: {out['counts']}", file=sys.stderr)
        from matchmaker import create_app

        common.in_process_app_env()
        app = create_app({"TESTING": True, "GRAPH_DB": db, "HOME_REGION": HOME_REGION,
                          "MATCH_BUILDER_THREAD": False, "LIST_BUILDER_THREAD": False, "ALERT_BACKGROUND": False,
                          "VAR_DIR": args.var_dir or str(tmp / "var")})
        out["index_s"] = common.build_indexes(app, matching=False)
        user = accounts.create_user(db, email=f"bench-official-{int(time.time())}@bench.example.cn",
                                    password="bench-password-1", role="official", active=True)
        token, _ = accounts.issue_token(db, user)
        client = app.test_client()
        board = _api(client, token, "/api/v1/dashboard")
        if len(board["chains"]) < 17:
            raise SystemExit(f"the dashboard lists {len(board['chains'])} chains, not 17")
        largest = max(board["chains"], key=lambda c: c["total"])["id"]
        paths = {"dashboard": "/api/v1/dashboard", "rates": f"/api/v1/chains/{largest}/rates"}
        for _ in range(args.warm):
            for path in paths.values():
                _api(client, token, path)
        times: dict[str, list[float]] = {k: [] for k in paths}
        for _ in range(args.rounds):
            for key, path in paths.items():
                times[key].append(_timed(lambda: _api(client, token, path))[0])
        out.update(largest=largest, times=times, board_totals=board["totals"])

        month, jobs = last_ended_month(datetime.now(timezone.utc)), []
        for _ in range(args.months):
            month = previous_month(month)
            while snapshot_repo.month_counts(db, month):    # kept by an earlier run on this data dir
                month = previous_month(month)
            seconds, result = _timed(lambda: rate_snapshots.take(db, None, month))
            jobs.append((month, seconds, result))
        again_s, again = _timed(lambda: rate_snapshots.take(db, None, jobs[0][0]))
        out.update(jobs=jobs, again=(again_s, again))
    finally:
        db.close()
        if started:
            server.stop()
        info.load_after = common.load_average()
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def report(out: dict) -> str:
    info, c, args = out["info"], out["counts"], out["info"].args
    m = info.machine
    lines = ["## Officials: dashboard and monthly rate snapshot (`make bench-officials`)", "",
             f"Run {info.started} on {m['cpus']} CPUs ({m['cpu_model']}), {m['ram_gib']:.0f} GiB RAM, Python "
             f"{m['python']}, {info.agent}, revision {info.revision}; load average {info.load_before} before, "
             f"{info.load_after} after (the machine is shared with other jobs). Data: {c['enterprises']:,} "
             f"enterprises, {c['supply']:,} supply and {c['demand']:,} demand items from `seed generate` (seed "
             f"{SEED})" + (f", seeded in {out['seed_s']:,.0f} s" if out.get("seed_s") else "") +
             f"; JVM heap {args.heap}. The app runs in-process (Flask test client) with its list index "
             f"({'reused' if args.var_dir else 'built'} in {out['index_s']:,.0f} s), warm ({args.warm} calls each "
             f"first), {args.rounds} timed calls per endpoint, interleaved.", "",
             "| call | p50 | p95 | max | aim |", "| --- | ---: | ---: | ---: | --- |"]
    names = {"dashboard": "GET /api/v1/dashboard (17 chains)",
             "rates": f"GET /api/v1/chains/{out['largest']}/rates (largest chain)"}
    for key, values in out["times"].items():
        lines.append(f"| {names[key]} | {_ms(percentile(values, 50))} | {_ms(percentile(values, 95))} | "
                     f"{_ms(max(values))} | {'under 1 s' if key == 'dashboard' else ''} |")
    lines += ["", "| snapshot job (`snapshot-rates --no-potential`) | month | snapshots written | wall |",
              "| --- | --- | ---: | ---: |"]
    for month, seconds, result in out["jobs"]:
        lines.append(f"| new month | {month} | {result['written']:,} | {_ms(seconds)} |")
    again_s, again = out["again"]
    lines.append(f"| month already kept (nothing written) | {again['month']} | 0 | {_ms(again_s)} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    out = execute(args)
    body = report(out)
    print(body)
    if args.report != "-":
        common.write_section(Path(args.report), SECTION, body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
