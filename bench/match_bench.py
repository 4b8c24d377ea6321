"""Matching benchmark (issue 8 §5): encoding, index build and load, memory, match latency, rematching,
write-to-visibility; against rank_bm25 and a brute-force scikit-learn cosine in the same run.

    python -m bench.match_bench --quick --report            # 100 / 500 items, with vectors; CI-sized smoke run
    python -m bench.match_bench --enterprises 20000 --items 200000 --encoder none --report
    python -m bench.match_bench                              # 100k / 1M (hours of encoding on 2 cores: see --encoder)
    python -m bench.match_bench --keep --vectors <kept dir>/var/index/vectors-*.sqlite3   # reuse a run's vectors

Steps, all in one run on one machine:

1. data: a fresh embedded server, `init_db`, `seed_generate` (deterministic, seed 1); with
   `--encoder use` every item text is then encoded into the host's vector store (matching.warm,
   what `seed generate` does), timed; `--vectors` first copies an earlier run's store, so only the
   texts it lacks are encoded;
2. encoding throughput: `--sample` generated texts encoded in batches of 64 (always measured,
   whatever `--encoder`), extrapolated to the distinct texts of 1M items;
3. the cold index build (`MatchRuntime.build`, both kinds) and its segment bytes; the load time of
   the persisted index in a fresh process, and that process's PSS holding the engine;
4. warm in-process latency of `MatchEngine.suppliers_for` over `--queries` demand items; the same
   demand texts against `rank_bm25.BM25Okapi` over character bigrams of every supply text and a
   brute-force `sklearn.metrics.pairwise.cosine_similarity` over the supply vectors (with
   `--encoder none`: random unit vectors of the model's shape, as said in the report); with vectors,
   the recall of the vector index's semantic candidates against an exact scan of every supply vector;
5. rematching `--rematch` demand items at once (`suppliers_for_many`), extrapolated to 50,000, and
   the same items one at a time, with the share of rankings that agree;
6. the app as `serve` runs it: the list index built first, then the background jobs process and
   `--workers` single-worker gunicorn processes on one shared VAR_DIR (so each worker can be asked
   by its port); `GET /api/v1/demand-items/<id>/matches` latency while the jobs process works and
   with it paused (SIGSTOP: its builders and keeper idle), the workers' and the jobs process's PSS;
   then a supply item is written through the API and each worker polled until the new supplier
   appears in that demand's matches.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np

from graph import potential as potential_repo
from graph.db import GraphDB
from graph.server import EmbeddedServer
from graph.settings import external_settings
from matchmaker.cli.serve_cmd import SERVING_ONLY
from matchmaker.lists.runtime import ListIndexes
from matchmaker.matching.columns import row_text
from matchmaker.matching.encoder_choice import encoder_from_config
from matchmaker.matching.engine import BATCH, Filters
from matchmaker.matching.runtime import KINDS, MatchRuntime
from matchmaker.matching.search import parts_of
from matchmaker.matching.source import GraphSource
from matchmaker.matching.warm import distinct_texts, warm_rows
from matchmaker.regions import RegionTable
from matchmaker.services.accounts import create_user
from matchmaker.services.generator import Generator, Plan
from matchmaker.services.reference import init_db
from matchmaker.services.seeding import seed_generate
from matchmaker.services.taxonomy import read_taxonomy
from matchmaker.warmup import settle_garbage_collector

from . import common
from .list_bench import BenchError, Client, Gunicorn, HOME_REGION, PASSWORD, app_env

SEED = 1
FULL = (100_000, 1_000_000)
QUICK = (100, 500)
REMATCH_TARGET = 50_000
AIMS = {"load_s": 60.0, "memory": 4 * 1024 ** 3, "p95_ms": 20.0, "api_p95_ms": 60.0, "rematch_s": 300.0}
VISIBLE_TIMEOUT_S = 60.0


# -- data -----------------------------------------------------------------------------------
VECTORS_INCLUDED = "included: every figure below uses the encoder's vectors (USE multilingual v3)"


def generated(plan: Plan) -> list[tuple[str, dict]]:
    """(kind, record) of every generated item, as seed_generate writes them (same seed, same rows)."""
    gen = Generator(plan, read_taxonomy(), RegionTable.load(), HOME_REGION)
    return [(kind, r) for kind, batch in gen.item_batches(5000) for r in batch]


def seed(run: dict, db: GraphDB, plan: Plan) -> None:
    start = time.perf_counter()
    seed_generate(db, plan, HOME_REGION)
    run["seed_s"] = time.perf_counter() - start


def encoding(run: dict, records: list[tuple[str, dict]], sample: int) -> None:
    """Throughput on a sample of distinct generated texts, and the distinct share of all texts."""
    texts = distinct_texts([r for _, r in records])
    run["distinct_share"] = len(texts) / max(1, len(records))
    chosen = random.Random(SEED).sample(texts, min(sample, len(texts)))
    encoder = encoder_from_config("use")
    encoder.encode(chosen[:2])  # loads the model: not counted
    start = time.perf_counter()
    encoder.encode(chosen, batch_size=64)
    seconds = time.perf_counter() - start
    run["encode"] = {"texts": len(chosen), "s": seconds, "per_s": len(chosen) / seconds,
                     "full_distinct": run["distinct_share"] * FULL[1],
                     "full_s": run["distinct_share"] * FULL[1] * seconds / len(chosen)}


# -- index ----------------------------------------------------------------------------------
def build(run: dict, runtime: MatchRuntime) -> None:
    run["build"] = {}
    for kind in KINDS:
        start = time.perf_counter()
        runtime.build(kind)
        folder = runtime._folder(kind, runtime._generation or 0)
        run["build"][kind] = {"s": time.perf_counter() - start, "bytes": common.disk_usage(folder / "segments")[1]}
    run["status"] = runtime.status()


def open_in_child(var_dir: Path, encoder: str, demand: dict) -> dict:
    """Open the persisted index in a fresh process: its load time and its memory holding the engine."""
    command = [sys.executable, "-m", "bench.match_bench", "--child", str(var_dir), encoder, json.dumps(demand)]
    done = subprocess.run(command, cwd=common.PROJECT_DIR, capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        raise BenchError(f"index load child failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def child(var_dir: str, encoder: str, demand_json: str) -> None:
    before = smaps_rollup(os.getpid())
    db = GraphDB(external_settings())
    runtime = MatchRuntime(db, Path(var_dir), encoder_from_config(encoder), builder_thread=False)
    start = time.perf_counter()
    engine = runtime.engine()
    for kind in KINDS:
        engine.readers[kind].view()
    opened = time.perf_counter() - start
    engine.suppliers_for(json.loads(demand_json), Filters())
    first = time.perf_counter() - start - opened
    print(json.dumps({"open_s": opened, "first_query_s": first, "pss_before": before.get("Pss", 0),
                      "after": smaps_rollup(os.getpid())}))


def smaps_rollup(pid: int) -> dict[str, int]:
    out = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
            key, _, value = line.partition(":")
            parts = value.split()
            if len(parts) == 2 and parts[1] == "kB":
                out[key] = int(parts[0]) * 1024
    except OSError:
        pass
    return out


# -- latency ----------------------------------------------------------------------------------
def demands(db: GraphDB, count: int) -> list[dict]:
    rows = [r for r in GraphSource(db, "demand").changes_since(0, max(5000, count)) if r["status"] == "published"]
    return random.Random(SEED).sample(rows, min(count, len(rows)))


def timed(fn, items) -> list[float]:
    out = []
    for item in items:
        start = time.perf_counter()
        fn(item)
        out.append(time.perf_counter() - start)
    return out


def engine_latency(run: dict, runtime: MatchRuntime, queries: list[dict]) -> None:
    engine = runtime.engine()
    timed(lambda d: engine.suppliers_for(dict(d), Filters()), queries[:5])  # warm-up
    settle_garbage_collector()  # as a web worker does after its warm-up
    run["engine_s"] = timed(lambda d: engine.suppliers_for(dict(d), Filters()), queries)
    profile = cProfile.Profile()
    profile.enable()
    for d in queries[:20]:
        engine.suppliers_for(dict(d), Filters())
    profile.disable()
    text = io.StringIO()
    pstats.Stats(profile, stream=text).sort_stats("tottime").print_stats(10)
    run["profile"] = _profile_lines(text.getvalue())


def _profile_lines(text: str) -> list[str]:
    lines = text.splitlines()
    head = next((i for i, line in enumerate(lines) if line.strip().startswith("ncalls")), None)
    prefix = f"{common.PROJECT_DIR}/"
    return [line.rstrip().replace(prefix, "") for line in lines[head:head + 11]] if head is not None else []


def bigrams(text: str) -> list[str]:
    compact = "".join(text.lower().split())
    return [compact[i:i + 2] for i in range(len(compact) - 1)] or [compact]


def baselines(run: dict, records: list[tuple[str, dict]], runtime: MatchRuntime, queries: list[dict],
              count: int) -> None:
    from rank_bm25 import BM25Okapi
    from sklearn.metrics.pairwise import cosine_similarity

    supply = [row_text(r["props"]) for kind, r in records if kind == "supply"]
    start = time.perf_counter()
    bm25 = BM25Okapi([bigrams(t) for t in supply])
    run["bm25_build_s"] = time.perf_counter() - start
    texts = [row_text(d) for d in queries[:count]]
    run["bm25_s"] = timed(lambda t: np.argpartition(-bm25.get_scores(bigrams(t)), 10)[:10], texts)
    del bm25
    if runtime.vectors is not None:
        matrix = runtime.vectors.vectors(supply).astype(np.float32)
        query_vectors = runtime.vectors.vectors(texts).astype(np.float32)
        run["cosine_vectors"] = "the encoder's vectors of the same texts"
    else:
        rng = np.random.default_rng(SEED)
        matrix = rng.standard_normal((len(supply), 384), dtype=np.float32)
        matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
        query_vectors = matrix[rng.integers(0, len(supply), len(texts))]
        run["cosine_vectors"] = "random unit vectors of the model's shape (no encoder in this run)"
    run["cosine_s"] = timed(lambda q: np.argpartition(-cosine_similarity(q[None, :], matrix)[0], 10)[:10],
                            list(query_vectors))


def vector_recall(run: dict, runtime: MatchRuntime, queries: list[dict]) -> None:
    """The semantic candidates the vector index gives (nearest clusters) against an exact scan of every
    live supply vector: the share of the exact top 10 and top 100 found, and of the rows read."""
    parts = parts_of(runtime.engine().readers["supply"].view())
    vectors = runtime.vectors.vectors([row_text(d) for d in queries]).astype(np.float32)
    found = {10: [], 100: []}
    for q in vectors:
        exact = _global_top(parts, [(p.key, np.flatnonzero(p.live)) for p in parts], q, 100)
        near = [(p.key, p.vectors.nearest(q, 100, p.live)[0]) for p in parts if p.vectors is not None]
        approx = _global_top(parts, near, q, 100)
        for k in found:
            found[k].append(len(set(exact[:k]) & set(approx[:k])) / max(1, min(k, len(exact))))
    live = sum(int(p.live.sum()) for p in parts)
    scanned = sum(min(int(p.live.sum()), p.vectors._probe_rows()) for p in parts if p.vectors is not None)
    run["vector_recall"] = {"queries": len(vectors), "at10": float(np.mean(found[10])),
                            "at100": float(np.mean(found[100])), "scanned_share": scanned / max(1, live),
                            "segments": len(parts)}


def _global_top(parts: list, rows_by_part: list, query: np.ndarray, k: int) -> list[tuple[str, int]]:
    """The k best (part, row) by exact cosine among the given rows of each part."""
    vectors = {p.key: p.vectors for p in parts}
    cosines = np.concatenate([vectors[key].scores_of(query, rows) for key, rows in rows_by_part])
    where = [(key, int(r)) for key, rows in rows_by_part for r in rows] if len(cosines) <= 10 * k else None
    top = np.argsort(-cosines, kind="stable")[:k]
    if where is not None:
        return [where[i] for i in top]
    starts = np.cumsum([0] + [len(rows) for _, rows in rows_by_part])
    out = []
    for i in top:
        part = int(np.searchsorted(starts, i, side="right")) - 1
        out.append((rows_by_part[part][0], int(rows_by_part[part][1][i - starts[part]])))
    return out


def build_lists(db: GraphDB, var_dir: Path) -> float:
    """The list index of both kinds, built before the workers start (as a running host has it), so the
    jobs process does not spend the API measurement on its first full build."""
    start = time.perf_counter()
    lists = ListIndexes(db, var_dir, builder_thread=False)
    for kind in KINDS:
        lists.build(kind)
    return time.perf_counter() - start


def rematch(run: dict, runtime: MatchRuntime, queries: list[dict]) -> None:
    """A rematch asks for all its demands at once (`suppliers_for_many`, as the potential keeper, agendas
    and plans do); one at a time is timed beside it in the same run."""
    engine = runtime.engine()
    start = time.perf_counter()
    batched = engine.suppliers_for_many([dict(d) for d in queries], Filters())
    seconds = time.perf_counter() - start
    start = time.perf_counter()
    one_by_one = [engine.suppliers_for(dict(d), Filters()) for d in queries]
    sequential = time.perf_counter() - start
    same = sum(_firms(a) == _firms(b) for a, b in zip(batched, one_by_one)) / len(queries)
    run["rematch"] = {"items": len(queries), "s": seconds, "target_s": seconds / len(queries) * REMATCH_TARGET,
                      "sequential_s": sequential, "same_ranking": same}


def _firms(ranked) -> list[str]:
    return [s.enterprise_id for s in ranked]


# -- gunicorn -------------------------------------------------------------------------------
class Worker(Gunicorn):
    """One single-worker gunicorn on the shared VAR_DIR: its own port and log file; it only serves,
    as `serve`'s workers do (the builders and the keeper run in the jobs process)."""

    def __init__(self, settings, var_dir: Path, number: int):
        super().__init__(settings, var_dir, 1)
        self.number = number
        self.extra_env = dict(SERVING_ONLY)

    @property
    def log_file(self) -> Path:
        return self.var_dir / f"gunicorn-{self.number}.log"

    def worker_pid(self) -> int:
        children = common.child_pids(self.proc.pid) if self.proc else []
        return children[0] if children else 0


class Jobs:
    """The background jobs process beside the workers, as `serve` starts it (cli/jobs_cmd.py)."""

    def __init__(self, settings, var_dir: Path):
        self.settings, self.var_dir, self.proc = settings, var_dir, None

    def start(self) -> None:
        env = {k: v for k, v in app_env(self.settings, self.var_dir).items() if k not in SERVING_ONLY}
        with open(self.var_dir / "jobs.log", "wb") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "matchmaker", "jobs"], cwd=common.PROJECT_DIR,
                                         env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def pause(self) -> None:
        self.proc.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.proc.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.resume()
        common.terminate(self.proc, 60.0)


def token_client(port: int, email: str) -> Client:
    client = Client(port)
    got = client.request("POST", "/api/v1/auth/token",
                         json.dumps({"email": email, "password": PASSWORD, "name": "bench"}).encode(),
                         {"Content-Type": "application/json"})
    if got.status != 201:
        raise BenchError(f"POST /api/v1/auth/token: HTTP {got.status} {got.body[:300]!r}")
    client.token = json.loads(got.body)["data"]["token"]
    return client


def matches(client: Client, demand_id: str) -> list[str]:
    got = client.request("GET", f"/api/v1/demand-items/{demand_id}/matches")
    if got.status != 200:
        raise BenchError(f"matches of {demand_id}: HTTP {got.status} {got.body[:300]!r}")
    return [m["enterprise"]["id"] for m in json.loads(got.body)["data"]]


def through_api(run: dict, settings, db: GraphDB, var_dir: Path, queries: list[dict], workers: int,
                sme: dict) -> None:
    email = f"bench-match-{uuid.uuid4().hex[:8]}@bench.example.cn"
    create_user(db, email=email, password=PASSWORD, role="official", active=True)
    apps = [Worker(settings, var_dir, n) for n in range(workers)]
    jobs = Jobs(settings, var_dir)
    try:
        jobs.start()
        for app in apps:
            app.start(timeout=600)
        clients = [token_client(app.port, email) for app in apps]
        for client in clients:  # each worker opens its engine (and builds its list catalogs) now
            client.request("GET", "/api/v1/supply-items?per_page=1")
            for d in queries[:3]:
                matches(client, d["id"])
        run["api_busy_s"] = api_round(clients, queries)  # as under serve, its keeper working through its due items
        run["keeper_due"] = potential_repo.count_due(db, None)
        jobs.pause()  # the state between the jobs' rounds: builders and keeper idle
        run["api_s"] = api_round(clients, queries)
        jobs.resume()
        run["workers_mem"] = [smaps_rollup(app.worker_pid()) for app in apps]
        run["masters_pss"] = sum(smaps_rollup(app.proc.pid).get("Pss", 0) for app in apps)
        run["jobs_pss"] = smaps_rollup(jobs.proc.pid).get("Pss", 0)
        run["visibility"] = visibility(clients, queries[0], sme)
    finally:
        for app in apps:
            app.stop()
        jobs.stop()


def api_round(clients: list[Client], queries: list[dict]) -> list[float]:
    """Seconds of each demand's matches through the API, the workers taking turns."""
    samples = []
    for i, d in enumerate(queries):
        start = time.perf_counter()
        matches(clients[i % len(clients)], d["id"])
        samples.append(time.perf_counter() - start)
    return samples


def visibility(clients: list[Client], demand: dict, sme: dict) -> dict:
    """Write a supply item that fits `demand` through the API; seconds until each worker shows its firm."""
    body = {"name": demand["name"], "description": demand.get("description") or "", "enterprise_id": sme["id"],
            "certifications": list(demand.get("required_certifications") or []), "capacity": 100000,
            "unit": demand.get("unit") or "pcs"}
    start = time.perf_counter()
    got = clients[0].request("POST", "/api/v1/supply-items", json.dumps(body, ensure_ascii=False).encode(),
                             {"Content-Type": "application/json"})
    written = time.perf_counter() - start
    if got.status != 201:
        raise BenchError(f"POST /api/v1/supply-items: HTTP {got.status} {got.body[:300]!r}")
    seen: dict[int, float] = {}
    while len(seen) < len(clients) and time.perf_counter() - start < VISIBLE_TIMEOUT_S:
        for n, client in enumerate(clients):
            if n not in seen and sme["id"] in matches(client, demand["id"]):
                seen[n] = time.perf_counter() - start
        time.sleep(0.05)
    return {"write_s": written, "seen_s": [seen.get(n) for n in range(len(clients))]}


def local_sme(db: GraphDB) -> dict:
    rows = GraphSource(db, "supply").changes_since(0, 2000)
    row = next((r for r in rows if r.get("local")), rows[0])
    return {"id": row["enterprise_id"]}


# -- the run --------------------------------------------------------------------------------
def execute(args: argparse.Namespace) -> dict:
    info = common.RunInfo(args)
    run: dict = {"info": info}
    tmp = Path(tempfile.mkdtemp(prefix="bench-match-", dir=args.tmpdir))
    os.environ["MATCH_ENCODER"] = args.encoder
    server = EmbeddedServer(tmp / "graph", heap=args.heap)
    started, db = False, None
    try:
        settings, started = server.start()
        for key, value in (("URI", settings.uri), ("USER", settings.user), ("PASSWORD", settings.password),
                           ("DATABASE", settings.database)):
            os.environ[f"NEO4J_{key}"] = value
        db = GraphDB(settings, retry_seconds=60.0)
        info.agent = db.server_agent()
        init_db(db)
        plan = Plan(args.enterprises, args.items, SEED)
        _step("seed")
        seed(run, db, plan)
        records = generated(plan)
        _step("encoding sample")
        encoding(run, records, args.sample)
        runtime = MatchRuntime(db, tmp / "var", encoder_from_config(args.encoder), builder_thread=False)
        if args.vectors and runtime.vectors is not None:
            _step("copying the vector store")
            copy_store(Path(args.vectors), runtime.vectors.path)
            run["vectors_copied"] = {"from": args.vectors, "texts": runtime.vectors.count()}
        if runtime.vectors is not None:
            _step("vectors of every text")
            start = time.perf_counter()
            warm_rows(runtime.vectors, [r for _, r in records])
            run["warm_s"] = time.perf_counter() - start
        _step("index build")
        build(run, runtime)
        queries = demands(db, max(args.queries, args.rematch))
        _step("index load in a fresh process")
        run["child"] = open_in_child(tmp / "var", args.encoder, queries[0])
        _step("in-process latency")
        engine_latency(run, runtime, queries[:args.queries])
        _step("baselines")
        baselines(run, records, runtime, queries, args.baseline_queries)
        if runtime.vectors is not None:
            _step("vector index recall")
            vector_recall(run, runtime, queries[:args.queries])
        _step("rematch")
        rematch(run, runtime, queries[:args.rematch])
        runtime.close()
        _step("list index build")
        run["lists_build_s"] = build_lists(db, tmp / "var")
        _step("gunicorn")
        through_api(run, settings, db, tmp / "var", queries[:args.api_queries], args.workers, local_sme(db))
    finally:
        if db is not None:
            db.close()
        if started:
            server.stop()
        info.load_after = common.load_average()
        if args.keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return run


def copy_store(source: Path, target: Path) -> None:
    """Start from another host's vector store, as a second web host does (docs/ARCHITECTURE.md)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def _step(name: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {name} (load {common.load_average()})", file=sys.stderr, flush=True)


# -- the report ---------------------------------------------------------------------------------
def _ms(seconds: float) -> str:
    value = seconds * 1000
    return f"{value:,.0f} ms" if value >= 10 else f"{value:.2f} ms"


def _p(samples: list[float], q: float) -> float:
    return common.percentile(samples, q)


def _verdict(value: float, aim: float) -> str:
    return "meets" if value < aim else "misses"


def render(run: dict, args: argparse.Namespace) -> str:
    info, m = run["info"], run["info"].machine
    with_vectors = args.encoder == "use"
    build_s = sum(b["s"] for b in run["build"].values())
    seg = sum(b["bytes"] for b in run["build"].values())
    child = run["child"]
    workers_pss = [w.get("Pss", 0) for w in run["workers_mem"]]
    e_p50, e_p95 = _p(run["engine_s"], 50), _p(run["engine_s"], 95)
    a_p50, a_p95 = _p(run["api_s"], 50), _p(run["api_s"], 95)
    b_p50, c_p50 = _p(run["bm25_s"], 50), _p(run["cosine_s"], 50)
    enc, rem, vis = run["encode"], run["rematch"], run["visibility"]
    seen = [s for s in vis["seen_s"] if s is not None]
    scale = "" if args.items >= FULL[1] else " (not the issue's 1,000,000: see \"What the full size needs\")"
    lines = [
        f"## Matching at {args.enterprises:,} enterprises / {args.items:,} items, encoder {args.encoder} (issue 8 §5)",
        "",
        f"- **Date**: {info.started}; **machine**: {m['cpus']} CPUs ({m['cpu_model']}), {m['ram_gib']:.1f} GiB RAM, "
        f"{m['os']}, Python {m['python']}; {info.agent}; code {info.revision}",
        f"- **Load average** (1/5/15 min, the machine is shared): {info.load_before} before, {info.load_after} after",
        f"- **Command**: `python -m bench.match_bench {' '.join(args.argv)}`",
        f"- **Data**: {run['status']['supply']:,} published supply and {run['status']['demand']:,} demand items "
        f"indexed{scale}; seed generate {run['seed_s']:.0f} s",
        f"- **Vectors**: {VECTORS_INCLUDED if with_vectors else 'NOT included (`--encoder none`): index, latency, memory and rematch figures are lexical + taxonomy only; the encoding line is measured on a sample'}",
        "",
        "| what | measured | aim (at 1M) | baseline in the same run | ratio |",
        "| --- | ---: | --- | ---: | ---: |",
        f"| encoding, batch 64, {enc['texts']} generated texts | {enc['per_s']:.1f} texts/s | feasible on 2 cores | | |",
        f"| encoding all distinct texts of 1M items ({enc['full_distinct']:,.0f}), extrapolated | "
        f"{enc['full_s'] / 3600:.1f} h | | | |",
    ]
    if "warm_s" in run:
        copied = run.get("vectors_copied")
        how = (f" (store copied from `{copied['from']}`, {copied['texts']:,} vectors: only texts it lacked were "
               "encoded)" if copied else "")
        lines.append(f"| vectors of every text at this size (warm_rows){how} | {run['warm_s']:.0f} s | | | |")
    lines += [
        f"| cold index build, both kinds (`MatchRuntime.build`) | {build_s:.1f} s | | | |",
        f"| list index build, both kinds (before the workers start) | {run['lists_build_s']:.1f} s | | | |",
        f"| segment bytes | {common.size(seg)} | | | |",
        f"| index load in a fresh process (engine + both views) | {child['open_s']:.2f} s | < 60 s ({_verdict(child['open_s'], AIMS['load_s'])}) | first query after load {child['first_query_s']:.2f} s | |",
        f"| PSS of a process holding the engine | {common.size(child['after'].get('Pss', 0))} | | interpreter alone {common.size(child['pss_before'])} | |",
        f"| PSS of {len(workers_pss)} gunicorn workers serving matches, total | {common.size(sum(workers_pss))} "
        f"({' / '.join(common.size(p) for p in workers_pss)}) | < 4 GiB ({_verdict(sum(workers_pss), AIMS['memory'])}) | masters {common.size(run['masters_pss'])}; jobs process {common.size(run['jobs_pss'])} | |",
        f"| in-process `suppliers_for`, p50 / p95 ({len(run['engine_s'])} demands, warm) | {_ms(e_p50)} / **{_ms(e_p95)}** "
        f"| p95 < 20 ms ({_verdict(e_p95 * 1000, AIMS['p95_ms'])}) | rank_bm25 p50 {_ms(b_p50)} ({len(run['bm25_s'])} queries; build {run['bm25_build_s']:.0f} s) | engine ÷ bm25 p50 **{e_p50 / b_p50:.3f}** |",
        f"| | | | sklearn cosine p50 {_ms(c_p50)} over {run['cosine_vectors']} | engine ÷ cosine p50 **{e_p50 / c_p50:.2f}** |",
        f"| `GET /api/v1/demand-items/<id>/matches`, p50 / p95 ({len(run['api_s'])} requests; the jobs process idle) | {_ms(a_p50)} / **{_ms(a_p95)}** "
        f"| p95 < 60 ms ({_verdict(a_p95 * 1000, AIMS['api_p95_ms'])}) | in-process p50 {_ms(e_p50)} | API ÷ in-process p50 {a_p50 / e_p50:.1f} |",
        f"| the same while the jobs process's keeper works ({run['keeper_due']:,} items still due after it) | "
        f"{_ms(_p(run['api_busy_s'], 50))} / {_ms(_p(run['api_busy_s'], 95))} | | | busy ÷ idle p50 {_p(run['api_busy_s'], 50) / a_p50:.1f} |",
        f"| rematch {rem['items']} demand items (`suppliers_for_many`, batches of {BATCH}) | {rem['s']:.1f} s; 50,000 extrapolated **{rem['target_s'] / 60:.1f} min** "
        f"| < 5 min ({_verdict(rem['target_s'], AIMS['rematch_s'])}) | one at a time {rem.get('sequential_s', float('nan')):.1f} s "
        f"({rem.get('same_ranking', float('nan')):.0%} same firms ranked) | batched ÷ one at a time **{rem['s'] / rem.get('sequential_s', float('nan')):.2f}** |",
        f"| write through the API → visible in every worker | "
        f"{'**' + f'{max(seen):.2f} s' + '**' if len(seen) == len(vis['seen_s']) else 'not seen in every worker within 60 s'} "
        f"(per worker {' / '.join('n/a' if s is None else f'{s:.2f}' for s in vis['seen_s'])} s; the POST itself {vis['write_s']:.2f} s) "
        f"| < 2 s | | |",
    ]
    if "vector_recall" in run:
        r = run["vector_recall"]
        lines.append(f"| semantic candidates from the vector index vs an exact scan ({r['queries']} demands, "
                     f"{r['segments']} supply parts) | recall@10 **{r['at10']:.3f}**, recall@100 **{r['at100']:.3f}**; "
                     f"rows read {r['scanned_share']:.1%} | | exact scan of every live vector | |")
    lines += ["", "Where the in-process time goes (cProfile of 20 warm `suppliers_for` calls, by own time):", "",
              "```", *run["profile"], "```"]
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.match_bench", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--enterprises", type=int, default=FULL[0])
    p.add_argument("--items", type=int, default=FULL[1])
    p.add_argument("--quick", action="store_true", help=f"{QUICK[0]} enterprises, {QUICK[1]} items, small samples; "
                                                        "prints only unless --report")
    p.add_argument("--encoder", choices=("use", "none"), default="use",
                   help="none: lexical + taxonomy only (no vectors), for full-size latency and memory runs")
    p.add_argument("--sample", type=int, default=256, help="texts of the encoding throughput sample")
    p.add_argument("--queries", type=int, default=200, help="demand items of the in-process latency")
    p.add_argument("--api-queries", type=int, default=150, help="requests of the API latency")
    p.add_argument("--baseline-queries", type=int, default=20, help="queries of the rank_bm25 and cosine baselines")
    p.add_argument("--rematch", type=int, default=500, help="demand items rematched (then extrapolated)")
    p.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3)")
    p.add_argument("--heap", default="4g", help="JVM heap of the graph server")
    p.add_argument("--report", nargs="?", const=str(common.DEFAULT_REPORT), default=None,
                   help="append the section to this file (default docs/BENCHMARKS.md); '-' prints only")
    p.add_argument("--vectors", default=None, metavar="SQLITE",
                   help="start from a copy of this vector store (a second host's path): the texts it holds are "
                        "not encoded again")
    p.add_argument("--tmpdir", default=None)
    p.add_argument("--keep", action="store_true", help="keep the temporary directory")
    p.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    args.argv = list(argv if argv is not None else sys.argv[1:])
    if args.quick:
        args.enterprises, args.items = QUICK
        args.sample, args.queries, args.api_queries, args.rematch = 64, 30, 30, 30
        args.baseline_queries = min(args.baseline_queries, 10)
        args.report = args.report or "-"
    args.report = args.report or str(common.DEFAULT_REPORT)
    if args.vectors and (args.encoder == "none" or not Path(args.vectors).is_file()):
        p.error(f"--vectors {args.vectors}: give the SQLite vector store of a run with --encoder use")
    if min(args.enterprises, args.items, args.sample, args.queries, args.api_queries, args.baseline_queries,
           args.rematch, args.workers) < 1:
        p.error("sizes, samples, query counts and --workers must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        child(*args.child)
        return 0
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        run = execute(args)
    except BenchError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 1
    report = render(run, args)
    print(report)
    if args.report != "-":
        common.write_section(Path(args.report), f"match-{args.items}-{args.encoder}", report)
        print(f"wrote the match-{args.items}-{args.encoder} section of {args.report}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
