"""Load test: simulated users of every role (locust, headless) against the app under gunicorn.

    python -m bench.traffic.run --quick                 # CI size: 200 firms, 2,000 items, 30 s
    python -m bench.traffic.run --report                # 100,000 firms, 1,000,000 items; rewrites the
                                                        # "traffic" section of docs/BENCHMARKS.md

A fresh embedded graph server in a temporary directory gets `init_db` and `seed_generate`
(the real path of `seed generate`), then accounts of each role with API tokens; gunicorn
serves the app as `serve` runs it; locust runs bench/traffic/locustfile.py in its own
process for a fixed time. Every request's status is checked: the run fails on any 5xx or
lost connection. The health check runs in the same mix as the baseline: each route's
median is also given as a multiple of the health check's, which the machine's noise
affects alike. Exit status 1 when a server error was seen.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from graph import chains as chain_repo
from graph.db import GraphDB
from graph.server import EmbeddedServer
from matchmaker.lists import ListIndexes
from matchmaker.matching.encoder_choice import encoder_from_config
from matchmaker.matching.runtime import KINDS, MatchRuntime
from matchmaker.services.accounts import create_user, issue_token
from matchmaker.services.enterprises import create_enterprise
from matchmaker.services.generator import Plan
from matchmaker.services.imports import SYSTEM
from matchmaker.services.reference import init_db
from matchmaker.services.seeding import seed_generate

from .. import common
from ..list_bench import HOME_REGION, BenchError, Client, Gunicorn
from ..match_bench import smaps_rollup

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
BASELINE = "GET /api/v1/health (baseline)"
ROLES = {"leader": 4, "sme": 12, "official": 2}  # accounts per role; simulated users share them


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=40, help="simulated users at once")
    parser.add_argument("--spawn-rate", type=float, default=4.0, help="users started per second")
    parser.add_argument("--duration", type=int, default=300, help="seconds of traffic")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (WEB_THREADS; 1: sync workers)")
    parser.add_argument("--encoder", choices=("use", "none"), default="none",
                        help="text encoder of the match index (1M texts take hours to encode on 2 cores)")
    parser.add_argument("--quick", action="store_true", help="CI size: 200 firms, 2,000 items, 12 users, 30 s")
    parser.add_argument("--report", nargs="?", const=str(common.DEFAULT_REPORT), default=None,
                        help="write the section into this file (default docs/BENCHMARKS.md)")
    parser.add_argument("--json", dest="json_out", default=None, help="also write the results as JSON here")
    parser.add_argument("--keep", action="store_true",
                        help="keep the working directory (graph data, indexes, accounts) for a later --reuse")
    parser.add_argument("--reuse", default=None, metavar="DIR",
                        help="a working directory kept by --keep: no seeding, accounts or index build")
    args = parser.parse_args(argv)
    if args.quick:
        args.enterprises, args.items, args.users, args.duration = 200, 2_000, 12, 30
        args.spawn_rate, args.encoder = 6.0, "use"
    if args.enterprises < 20 or args.items < 1 or args.users < 1 or args.duration < 5:
        parser.error("need at least 20 enterprises, 1 item, 1 user and 5 seconds")
    if args.workers < 1 or not 1 <= args.threads <= 64:
        parser.error("--workers must be at least 1 and --threads from 1 to 64")
    return args


def accounts(db: GraphDB, run_id: str) -> dict:
    """Firms and accounts of each role with API tokens, and the chain ids, for the locustfile."""
    out: dict = {role: [] for role in ROLES}
    for role, count in ROLES.items():
        for n in range(count):
            firm = None
            if role != "official":
                firm = create_enterprise(db, SYSTEM, {"id": f"LOAD-{role}-{run_id}-{n}", "name": f"压测企业{role}{n}",
                                                      "role": role, "region": "510116"}, HOME_REGION)
            user = create_user(db, email=f"load-{role}-{n}@{run_id}.example.cn", password="load-test-password-1",
                               role=role, enterprise_id=firm and firm["id"], active=True)
            token, _ = issue_token(db, user, "load test")
            out[role].append({"token": token, "enterprise_id": firm and firm["id"]})
    out["chains"] = [c["id"] for c in chain_repo.list_chains(db)]
    return out


def build_index(db: GraphDB, var_dir: Path, encoder: str) -> None:
    """The match index with its text vectors, as `index build` makes it, and the list index: gunicorn
    starts on built indexes, as it does on a host that has served before."""
    runtime = MatchRuntime(db, var_dir, encoder_from_config(encoder), builder_thread=False)
    lists = ListIndexes(db, var_dir, builder_thread=False)
    for kind in KINDS:
        runtime.build(kind)
        lists.build(kind)


def wait_for_matching(app: Gunicorn, token: str, timeout: float = 900.0) -> float:
    """Seconds until a new demand item's suggestions answer 200 (the index is built)."""
    client = Client(app.port)
    client.token = token
    made = client.request("POST", "/api/v1/demand-items", json.dumps({"name": "电机控制器"}).encode(),
                          {"Content-Type": "application/json"})
    if made.status != 201:
        raise BenchError(f"POST /api/v1/demand-items: HTTP {made.status} {made.body[:300]!r}")
    demand_id = json.loads(made.body)["data"]["id"]
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if client.request("GET", f"/api/v1/demand-items/{demand_id}/matches").status == 200:
            return time.monotonic() - started
        time.sleep(1.0)
    raise BenchError(f"suggestions did not answer 200 within {timeout:.0f} s:\n{app.log_tail()}")


def run_locust(args: argparse.Namespace, host: str, accounts_file: Path, prefix: Path) -> None:
    command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--only-summary",
               "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{args.duration}s",
               "--host", host, "--csv", str(prefix), "--exit-code-on-error", "0", "--stop-timeout", "10"]
    env = {**os.environ, "LOAD_ACCOUNTS": str(accounts_file)}
    done = subprocess.run(command, cwd=common.PROJECT_DIR, env=env, capture_output=True, text=True,
                          timeout=args.duration + 180)
    if done.returncode != 0:
        raise BenchError(f"locust exited with {done.returncode}:\n{done.stderr[-3000:]}")


def read_stats(prefix: Path) -> tuple[list[dict], list[dict]]:
    """Per-route rows (without the Aggregated line) and failures from locust's CSV files."""
    with open(f"{prefix}_stats.csv", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["Name"] != "Aggregated"]
    with open(f"{prefix}_failures.csv", encoding="utf-8") as fh:
        failures = list(csv.DictReader(fh))
    return rows, failures


def summarise(rows: list[dict], failures: list[dict]) -> dict:
    routes = [{"name": r["Name"], "requests": int(r["Request Count"]), "failures": int(r["Failure Count"]),
               "p50": float(r["50%"]), "p95": float(r["95%"]), "p99": float(r["99%"]),
               "rps": float(r["Requests/s"])} for r in rows]
    base = next((r["p50"] for r in routes if r["name"] == BASELINE), 0.0)
    for r in routes:
        r["x_baseline"] = r["p50"] / base if base else None
    server_errors = [f for f in failures if _server_side(f["Error"])]
    return {"routes": sorted(routes, key=lambda r: r["name"]), "failures": failures,
            "server_errors": sum(int(f["Occurrences"]) for f in server_errors),
            "requests": sum(r["requests"] for r in routes)}


def _server_side(error: str) -> bool:
    """A 5xx or a connection the server dropped or refused (locust names the exception)."""
    return error.startswith("HTTP 5") or not error.startswith("HTTP ")


def execute(args: argparse.Namespace) -> dict:
    info = common.RunInfo(args)
    tmp = Path(args.reuse) if args.reuse else Path(tempfile.mkdtemp(prefix="traffic-"))
    server = EmbeddedServer(tmp / "graph")
    app = None
    try:
        settings, _ = server.start()
        db = GraphDB(settings)
        info.agent = db.server_agent()
        made, setup = prepare(db, tmp, args) if not args.reuse else (_kept_accounts(tmp), {})
        os.environ["MATCH_ENCODER"], os.environ["WEB_THREADS"] = args.encoder, str(args.threads)
        app = Gunicorn(settings, tmp / "var", args.workers, args.threads)
        app.start(timeout=300)
        index_s = wait_for_matching(app, made["leader"][0]["token"])
        run_locust(args, f"http://127.0.0.1:{app.port}", tmp / "accounts.json", tmp / "locust")
        result = summarise(*read_stats(tmp / "locust"))
        pids = [app.proc.pid, *common.child_pids(app.proc.pid)]
        result.update(**setup, index_s=index_s, incidents=app.incidents(), reused=bool(args.reuse),
                      pss=sum(smaps_rollup(pid).get("Pss", 0) for pid in pids),
                      tracebacks=server_tracebacks(app.log_tail(size=1 << 24)) if result["server_errors"] else [])
        info.load_after = common.load_average()
        return {"info": info, **result}
    finally:
        if app is not None:
            app.stop()
        server.stop()
        if args.keep or args.reuse:
            print(f"kept {tmp}; run again on it with --reuse {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def server_tracebacks(log: str, keep: int = 5) -> list[str]:
    """The last `keep` tracebacks of the server log: why a server error happened, since a CI run's
    temporary directory (and its log) is gone when the failure is read."""
    found, lines = [], log.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("Traceback"):
            end = next((j for j in range(i + 1, len(lines)) if lines[j] and not lines[j].startswith(" ")), i)
            found.append("\n".join(lines[max(0, i - 1):end + 1]))
    return found[-keep:]


def prepare(db: GraphDB, tmp: Path, args: argparse.Namespace) -> tuple[dict, dict]:
    """A fresh working directory: the generated data, an account per role, both indexes built."""
    init_db(db, HOME_REGION)
    started = time.perf_counter()
    written = seed_generate(db, Plan(args.enterprises, args.items, 1), HOME_REGION)
    seeded_s = time.perf_counter() - started
    print(f"seeded {written} in {seeded_s:,.0f} s", file=sys.stderr)
    made = accounts(db, tmp.name[-8:].replace("_", "x").lower())
    (tmp / "accounts.json").write_text(json.dumps(made), encoding="utf-8")
    started = time.perf_counter()
    build_index(db, tmp / "var", args.encoder)
    return made, {"seeded": written, "seeded_s": seeded_s, "built_s": time.perf_counter() - started}


def _kept_accounts(tmp: Path) -> dict:
    path = tmp / "accounts.json"
    if not (tmp / "graph").is_dir() or not path.exists():
        raise BenchError(f"--reuse {tmp}: not a directory kept by --keep (no graph/ or accounts.json)")
    return json.loads(path.read_text(encoding="utf-8"))


def render(run: dict, args: argparse.Namespace) -> str:
    info = run["info"]
    m = info.machine
    lines = [
        "## Load test (locust): every role at once, through gunicorn",
        "",
        f"`make load-test` (bench/traffic/): {args.enterprises:,} enterprises and {args.items:,} items "
        f"(`seed generate`), {args.users} simulated users (anonymous visitors, SMEs, leaders, officials; "
        f"weights 2/3/2/1) for {args.duration} s against `serve`'s gunicorn with {args.workers} workers of "
        f"{args.threads} thread{'s' if args.threads > 1 else ''}, "
        f"match index encoder `{args.encoder}`. Run {info.started}, revision {info.revision}, "
        f"{m['cpus']} CPUs ({m['cpu_model']}), {m['ram_gib']:.0f} GiB, load {info.load_before} -> {info.load_after}.",
        "",
        f"- **Server errors (5xx or dropped connections): {run['server_errors']}** of {run['requests']:,} requests.",
        ("- Data, accounts and indexes of an earlier run (`--reuse`, its writes included); the first "
         if run["reused"] else
         f"- Seeding took {run['seeded_s']:,.0f} s and the index build {run['built_s']:,.0f} s; the first ")
        + f"suggestions answered {run['index_s']:,.0f} s after gunicorn was healthy. Gunicorn (master and workers) PSS at the end: {common.size(run['pss'])}.",
        f"- Worker timeouts {run['incidents']['worker timeouts']}, workers replaced {run['incidents']['workers replaced']}.",
        "",
        "| route | requests | failures | p50 ms | p95 ms | p99 ms | req/s | p50 ÷ health p50 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in run["routes"]:
        ratio = f"{r['x_baseline']:.1f}" if r["x_baseline"] is not None else "–"
        lines.append(f"| {r['name']} | {r['requests']:,} | {r['failures']} | {r['p50']:,.0f} | {r['p95']:,.0f} | "
                     f"{r['p99']:,.0f} | {r['rps']:.2f} | {ratio} |")
    if run["failures"]:
        lines += ["", "Failures by kind:", ""]
        lines += [f"- {f['Method']} {f['Name']}: {f['Error']} × {f['Occurrences']}" for f in run["failures"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    run = execute(args)
    text = render(run, args)
    print(text)
    if args.report:
        common.write_section(Path(args.report), "traffic", text)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps({k: v for k, v in run.items() if k != "info"}, default=str))
    for traceback in run.get("tracebacks", []):
        print(traceback, file=sys.stderr)
    return 1 if run["server_errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
