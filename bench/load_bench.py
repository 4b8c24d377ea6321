"""Load benchmark (issue 2): 100,000 enterprises and 1,000,000 items through the graph layer.

    python -m bench.load_bench              # full size; rewrites the "load" section of docs/BENCHMARKS.md
    python -m bench.load_bench --quick      # 10k enterprises / 100k items; prints, writes nothing

Two embedded graph servers run in a fresh temporary directory:

* the *graph* server gets `init_db` and then `seed_generate`, the real path of
  `python -m matchmaker seed generate` (generator -> graph.enterprises /
  graph.items upserts, batch by batch);
* the *baseline* server gets the very same rows, flattened, written with a
  plain `UNWIND $rows AS r CREATE (n:BenchBaseline) SET n = r` and the same
  batch size: the server's raw write speed, with no index, MERGE or edges.

The two are interleaved batch by batch (graph batch k, then baseline batch k),
so both see the same noise from a shared machine; each batch pair gives one
ratio, and the report gives medians and p10/p90 of those.
"""
from __future__ import annotations

import argparse
import gc
import json
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any, Iterator

import neo4j
from tqdm import tqdm

from graph import enterprises as enterprise_repo
from graph import items as item_repo
from graph.db import GraphDB
from graph.server import EmbeddedServer
from matchmaker.lists import ListIndexes
from matchmaker.regions import RegionTable
from matchmaker.services import chains as chain_service
from matchmaker.services.generator import Generator, Plan
from matchmaker.services.reference import init_db
from matchmaker.services.seeding import seed_generate
from matchmaker.services.taxonomy import read_taxonomy

from . import common
from .common import mib, quantiles, rate, size

SECTION = "load"
TARGET_ROWS_PER_S = 10_000
HOME_REGION = "510100"
SEED = 1
BASELINE_CREATE = "UNWIND $rows AS r CREATE (n:BenchBaseline) SET n = r"


class TimedGraphDB(GraphDB):
    """A GraphDB that adds up the wall time spent inside write transactions."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.write_seconds = 0.0
        self.write_calls = 0

    def write(self, work, *args, **kwargs):  # type: ignore[override]
        start = time.perf_counter()
        try:
            return super().write(work, *args, **kwargs)
        finally:
            self.write_seconds += time.perf_counter() - start
            self.write_calls += 1


@dataclass
class Sample:
    """One batch: written through the graph layer, then the same rows raw to the baseline."""
    phase: str            # "enterprises" or "items"
    rows: int
    graph_wall: float     # generation + graph-layer write (what `seed generate` spends)
    graph_write: float    # inside the write transactions only
    base_wall: float      # generation + flattening + raw write
    base_write: float     # inside the raw write transaction only
    graph_app_cpu: float  # CPU seconds of this process during the graph batch
    base_app_cpu: float   # CPU seconds of this process during the baseline batch


@dataclass
class Run(common.RunInfo):
    startup_s: float = 0.0
    init_db_s: float = 0.0
    samples: list[Sample] = field(default_factory=list)
    written: dict = field(default_factory=dict)
    counts: dict = field(default_factory=dict)
    app_rss_start: int = 0
    app_peak_rss: int = 0
    jvm: dict = field(default_factory=dict)            # server name -> {hwm, rss}
    disk: dict = field(default_factory=dict)           # "server moment" -> (allocated, apparent)
    reads: dict = field(default_factory=dict)          # query name -> list of seconds
    list_chains_rows: list = field(default_factory=list)
    jvm_cpu: dict = field(default_factory=dict)        # server name -> CPU seconds during the load
    load_wall: float = 0.0                             # wall of the whole interleaved load
    codec: str = ""                                    # the driver's PackStream encoder
    encode: dict = field(default_factory=dict)         # kind -> rows/s of encoding one batch
    generate: dict = field(default_factory=dict)       # kind -> rows/s of generating rows


# -- the baseline ------------------------------------------------------------------
def _flat(record: dict) -> dict:
    """An enterprise or item record as one flat property map without nulls."""
    props = record.get("props")
    flat = {k: v for k, v in record.items() if k != "props"}
    if props:
        flat.update(props)
    return {k: v for k, v in flat.items() if v is not None}


def _create_raw(tx, rows: list[dict]) -> None:
    tx.run(BASELINE_CREATE, rows=rows).consume()


class Interleaver:
    """The progress callback of seed_generate: times each graph batch, then mirrors it raw."""

    def __init__(self, run: Run, graph_db: TimedGraphDB, base_db: TimedGraphDB, plan: Plan,
                 batch: int):
        self.run, self.graph_db, self.base_db = run, graph_db, base_db
        mirror = Generator(plan, read_taxonomy(), RegionTable.load(), HOME_REGION)
        self.mirror: Iterator[tuple[str, list[dict]]] = chain(
            (("enterprises", r) for r in mirror.enterprise_batches(batch)),
            mirror.item_batches(batch))
        self.bars = {
            "enterprises": tqdm(total=plan.enterprises, desc="enterprises", unit="row",
                                mininterval=2.0, file=sys.stderr),
            "items": tqdm(total=plan.items, desc="items      ", unit="row",
                          mininterval=2.0, file=sys.stderr),
        }
        self.mark()

    def mark(self) -> None:
        self.t_mark = time.perf_counter()
        self.c_mark = time.process_time()
        self.w_mark = self.graph_db.write_seconds

    def __call__(self, what: str, n: int) -> None:
        graph_wall = time.perf_counter() - self.t_mark
        graph_write = self.graph_db.write_seconds - self.w_mark
        c0 = time.process_time()
        t0 = time.perf_counter()
        _kind, records = next(self.mirror)
        if len(records) != n:
            raise RuntimeError(f"baseline out of step: graph batch of {n} rows, mirror of {len(records)}")
        rows = [_flat(r) for r in records]
        w0 = self.base_db.write_seconds
        self.base_db.write(_create_raw, rows)
        base_write = self.base_db.write_seconds - w0
        base_wall = time.perf_counter() - t0
        self.run.samples.append(Sample(what, n, graph_wall, graph_write, base_wall, base_write,
                                       c0 - self.c_mark, time.process_time() - c0))
        self.bars[what].update(n)
        self.mark()

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()


# -- the run -------------------------------------------------------------------------
def client_costs(run: Run, plan: Plan, batch: int) -> None:
    """Rows per CPU second of generating rows and of the driver encoding them (PackStream).

    CPU time (process_time), not wall, so other load on the machine hardly matters.
    """
    from neo4j._codec.packstream.v1 import Packer, _rust_pack

    run.codec = "neo4j-rust-ext (Rust)" if _rust_pack else "pure Python"
    gen = Generator(plan, read_taxonomy(), RegionTable.load(), HOME_REGION)
    t = time.process_time()
    enterprises = next(gen.enterprise_batches(batch))
    run.generate["enterprises"] = len(enterprises) / (time.process_time() - t)
    t = time.process_time()
    n, items = 0, {}
    for kind, records in gen.item_batches(batch):
        n += len(records)
        items.setdefault(kind, records)
        if len(items) == 2:
            break
    run.generate["items"] = n / (time.process_time() - t)

    class Sink:
        def write(self, data: bytes) -> None:
            pass

    for kind, records in (("enterprises", enterprises), *items.items()):
        times = []
        for _ in range(5):
            t = time.process_time()
            Packer(Sink()).pack({"rows": records, "now": "2026-01-01T00:00:00+00:00"})
            times.append(time.process_time() - t)
        run.encode[kind] = len(records) / statistics.median(times)


def _jvm_pid(server: EmbeddedServer) -> int:
    state = server.status()
    if state is None:
        raise RuntimeError(f"the server of {server.data_dir} is not running")
    return state.pid


def _median_time(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return times


def execute(args: argparse.Namespace) -> Run:
    run = Run(args)
    run.app_rss_start = common.self_rss()
    client_costs(run, Plan(args.enterprises, args.items, SEED), args.batch)
    tmp = Path(tempfile.mkdtemp(prefix="bench-load-", dir=args.tmpdir))
    print(f"working directory {tmp}", file=sys.stderr)
    servers = {"graph": EmbeddedServer(tmp / "graph", heap=args.heap),
               "baseline": EmbeddedServer(tmp / "baseline", heap=args.heap)}
    dbs: dict[str, TimedGraphDB] = {}
    try:
        t = time.perf_counter()
        for name, server in servers.items():
            settings, _ = server.start()
            dbs[name] = TimedGraphDB(settings, retry_seconds=60.0)
        run.startup_s = time.perf_counter() - t
        graph_db, base_db = dbs["graph"], dbs["baseline"]
        run.agent = graph_db.server_agent()
        base_db.server_agent()
        print(f"{run.agent}: graph server pid {_jvm_pid(servers['graph'])}, "
              f"baseline server pid {_jvm_pid(servers['baseline'])}", file=sys.stderr)

        t = time.perf_counter()
        init_db(graph_db)
        run.init_db_s = time.perf_counter() - t
        graph_db.write_seconds = 0.0
        graph_db.write_calls = 0

        plan = Plan(args.enterprises, args.items, SEED)
        gc.collect()
        interleaver = Interleaver(run, graph_db, base_db, plan, args.batch)
        pids = {name: _jvm_pid(server) for name, server in servers.items()}
        cpu0 = {name: common.cpu_seconds(pid) for name, pid in pids.items()}
        t = time.perf_counter()
        try:
            run.written = seed_generate(graph_db, plan, HOME_REGION, args.batch, progress=interleaver)
        finally:
            interleaver.close()
        run.load_wall = time.perf_counter() - t
        run.jvm_cpu = {name: common.cpu_seconds(pid) - cpu0[name] for name, pid in pids.items()}
        run.app_peak_rss = common.self_peak_rss()
        for name, server in servers.items():
            status = common.proc_status(_jvm_pid(server))
            run.jvm[name] = {"hwm": status.get("VmHWM", 0), "rss": status.get("VmRSS", 0)}

        # Sanity: what landed, and a few reads over the loaded graph.
        run.counts = {
            "enterprises": enterprise_repo.count(graph_db),
            "supply": item_repo.count(graph_db, "supply"),
            "demand": item_repo.count(graph_db, "demand"),
            "baseline": base_db.read(lambda tx: tx.run(
                "MATCH (n:BenchBaseline) RETURN count(n) AS n").single()["n"]),
        }
        first = time.perf_counter()
        lists = ListIndexes(graph_db, tmp / "var", builder_thread=False)
        for kind in ("supply", "demand"):  # what a worker's elected builder does once
            lists.build(kind)
        run.list_chains_rows = chain_service.list_chains(graph_db, lists)
        run.reads["list_chains (first)"] = [time.perf_counter() - first]
        run.reads["list_chains"] = _median_time(lambda: chain_service.list_chains(graph_db, lists), args.repeat)
        run.reads["count items (both kinds)"] = _median_time(
            lambda: (item_repo.count(graph_db, "supply"), item_repo.count(graph_db, "demand")), args.repeat)
        probe = [f"G{SEED}-E{i:06d}" for i in range(0, args.enterprises, max(1, args.enterprises // 100))]
        run.reads["roles_of 100 enterprises by id"] = _median_time(
            lambda: enterprise_repo.roles_of(graph_db, probe), args.repeat)
        # JVM peaks again: the reads may have raised them.
        for name, server in servers.items():
            status = common.proc_status(_jvm_pid(server))
            run.jvm[name]["hwm"] = max(run.jvm[name]["hwm"], status.get("VmHWM", 0))
        for name, server in servers.items():
            run.disk[f"{name} running"] = common.disk_usage(server.data_dir / "databases")
    finally:
        for db in dbs.values():
            db.close()
        for name, server in servers.items():
            try:
                server.stop()
            except Exception as exc:  # noqa: BLE001 - stop the other one too
                print(f"could not stop the {name} server: {exc}", file=sys.stderr)
        for name, server in servers.items():
            if (server.data_dir / "databases").exists():
                run.disk[f"{name} stopped"] = common.disk_usage(server.data_dir / "databases")
        run.load_after = common.load_average()
        if args.keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return run


# -- the report -----------------------------------------------------------------------
def _phase(samples: list[Sample]) -> dict:
    rows = sum(s.rows for s in samples)
    graph_wall = sum(s.graph_wall for s in samples)
    graph_write = sum(s.graph_write for s in samples)
    base_wall = sum(s.base_wall for s in samples)
    base_write = sum(s.base_write for s in samples)
    return {
        "rows": rows, "batches": len(samples),
        "graph_wall": graph_wall, "graph_write": graph_write,
        "base_wall": base_wall, "base_write": base_write,
        "graph_rate": rows / graph_wall if graph_wall else 0.0,
        "graph_write_rate": rows / graph_write if graph_write else 0.0,
        "base_rate": rows / base_wall if base_wall else 0.0,
        "base_write_rate": rows / base_write if base_write else 0.0,
        "graph_batch": quantiles([s.rows / s.graph_wall for s in samples if s.graph_wall]),
        "base_batch": quantiles([s.rows / s.base_write for s in samples if s.base_write]),
        # per batch pair: graph-layer rows/s over baseline rows/s (write time only)
        "ratio_batch": quantiles([s.base_write / s.graph_write for s in samples if s.graph_write]),
        "ratio_wall_batch": quantiles([s.base_wall / s.graph_wall for s in samples if s.graph_wall]),
    }


def _trend(samples: list[Sample]) -> tuple[float, float]:
    """Median graph-layer batch rows/s of the first and of the last tenth of the batches."""
    k = max(1, len(samples) // 10)
    first = [s.rows / s.graph_wall for s in samples[:k] if s.graph_wall]
    last = [s.rows / s.graph_wall for s in samples[-k:] if s.graph_wall]
    return (statistics.median(first) if first else float("nan"),
            statistics.median(last) if last else float("nan"))


def _cpu_lines(run: Run, total: dict) -> list[str]:
    graph_app = sum(s.graph_app_cpu for s in run.samples)
    base_app = sum(s.base_app_cpu for s in run.samples)
    graph_jvm = run.jvm_cpu.get("graph", float("nan"))
    base_jvm = run.jvm_cpu.get("baseline", float("nan"))
    gw, bw = total["graph_wall"], total["base_wall"]
    rows = total["rows"] or 1
    enc = ", ".join(f"{k} {rate(v)}" for k, v in run.encode.items())
    gen = ", ".join(f"{k} {rate(v)}" for k, v in run.generate.items())
    return [
        f"Client side alone, one batch, no server, rows per CPU second: generating {gen}; the "
        f"driver encoding them for Bolt ({run.codec} PackStream) {enc}. Both happen in the app's "
        "one thread before the server sees a row, so together they cap what one loader can send.",
        "",
        f"CPU seconds over the load ({run.machine['cpus']} CPUs; the two sides take turns, so "
        "each side's wall is its own):",
        "",
        "| side | wall | app CPU (generate, encode, driver) | server JVM CPU | app CPU µs per row "
        "| server CPU µs per row | cores busy |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| graph layer | {gw:,.0f} s | {graph_app:,.0f} s | {graph_jvm:,.0f} s | "
        f"{graph_app / rows * 1e6:,.0f} | {graph_jvm / rows * 1e6:,.0f} | "
        f"{(graph_app + graph_jvm) / gw if gw else float('nan'):.2f} |",
        f"| baseline | {bw:,.0f} s | {base_app:,.0f} s | {base_jvm:,.0f} s | "
        f"{base_app / rows * 1e6:,.0f} | {base_jvm / rows * 1e6:,.0f} | "
        f"{(base_app + base_jvm) / bw if bw else float('nan'):.2f} |",
        "",
        f"Server CPU per row, graph layer ÷ baseline: {graph_jvm / base_jvm if base_jvm else float('nan'):.2f} "
        "(CPU time is less disturbed by other load than wall time). The app and the server take "
        "turns on each batch: the app generates and encodes a batch while the server waits, then "
        "waits while the server writes it, so the app's CPU per row adds straight to the wall "
        "time per row. The baseline's app share is the same generation and encoding, so the "
        "baseline is bounded by the client about as much as by the server. JVM CPU includes its background "
        "work (JIT, GC, page flushing), whichever side's turn it was. \"Cores busy\" is CPU seconds "
        "÷ wall: above 1, the JVM's GC and background threads ran alongside; below 1, other "
        "programs had the CPUs.",
    ]


def render(run: Run) -> str:
    a, m = run.args, run.machine
    phases = {"enterprises": _phase([s for s in run.samples if s.phase == "enterprises"]),
              "items": _phase([s for s in run.samples if s.phase == "items"]),
              "total": _phase(run.samples)}
    total = phases["total"]
    met = total["graph_rate"] >= TARGET_ROWS_PER_S
    quick = " (quick run)" if a.quick else ""
    lines = [
        f"## Load (issue 2){quick}",
        "",
        f"Load {a.enterprises:,} enterprises and {a.items:,} supply/demand items through the graph "
        "layer (`matchmaker.services.seeding.seed_generate`: the deterministic generator, then "
        "`graph.enterprises.upsert_many` and `graph.items.upsert_many`) into a fresh embedded "
        "server, after `init_db`. Baseline, interleaved batch by batch in the same run: the same "
        f"rows, flattened, into a second fresh server with `{BASELINE_CREATE}` (no index, no "
        "MERGE, no edges: the server's raw write speed).",
        "",
        f"- **Date**: {run.started}",
        f"- **Machine**: {m['cpus']} CPUs ({m['cpu_model']}), {m['ram_gib']:.1f} GiB RAM, "
        f"{m['os']}; load average (1/5/15 min) {run.load_before} before, {run.load_after} after",
        f"- **Software**: Python {m['python']}, {run.agent}, neo4j driver {neo4j.__version__} "
        f"with the {run.codec} PackStream encoder, code {run.revision}",
        f"- **Parameters**: `--enterprises {a.enterprises} --items {a.items} --batch {a.batch} "
        f"--heap {a.heap}` (JVM `-Xmx{a.heap}`), seed {SEED}, home region {HOME_REGION}",
        "",
        f"**Result: {rate(total['graph_rate'])} rows/s end to end "
        f"({'meets' if met else 'misses'} the aim of {TARGET_ROWS_PER_S:,} rows/s); "
        f"the graph layer writes at {total['ratio_batch'][1]:.2f}x the raw-CREATE baseline "
        "(median over batch pairs).**",
        "",
        "### Throughput",
        "",
        "End to end = generating the rows plus writing them (what `seed generate` spends). "
        "Write only = time inside the write transactions. Batch figures are over the per-batch "
        "samples (p10 / median / p90); the ratio is graph-layer rows/s ÷ baseline rows/s of the "
        "same batch, write time only.",
        "",
        "| phase | rows | wall | rows/s end to end | rows/s write only | batch rows/s end to end (p10 / median / p90) "
        "| baseline rows/s write only | baseline batch rows/s (p10 / median / p90) | ratio to baseline, per batch (p10 / median / p90) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, p in phases.items():
        if not p["rows"]:
            continue
        gb, bb, rb = p["graph_batch"], p["base_batch"], p["ratio_batch"]
        lines.append(
            f"| {name} | {p['rows']:,} | {p['graph_wall']:,.0f} s | **{rate(p['graph_rate'])}** | "
            f"{rate(p['graph_write_rate'])} | {rate(gb[0])} / {rate(gb[1])} / {rate(gb[2])} | "
            f"{rate(p['base_write_rate'])} | {rate(bb[0])} / {rate(bb[1])} / {rate(bb[2])} | "
            f"{rb[0]:.3f} / **{rb[1]:.3f}** / {rb[2]:.3f} |")
    items = [s for s in run.samples if s.phase == "items"]
    first, last = _trend(items) if items else (float("nan"), float("nan"))
    lines += [
        "",
        f"Ratio of end-to-end rates (generation included on both sides), median over batch pairs: "
        f"{total['ratio_wall_batch'][1]:.3f}. Item batches, median end-to-end rows/s of the first "
        f"tenth vs the last tenth of the load: {rate(first)} vs {rate(last)} "
        f"(x{last / first if first else float('nan'):.2f} as the graph grows). "
        f"Server start-up (both) {run.startup_s:.1f} s; `init_db` {run.init_db_s:.1f} s (not counted).",
        "",
        "### Where the CPU goes",
        "",
        *_cpu_lines(run, phases["total"]),
        "",
        "### Memory and disk",
        "",
        "| what | value |",
        "| --- | ---: |",
        f"| peak RSS of the app (this Python process, `ru_maxrss`) | {mib(run.app_peak_rss)} "
        f"(at start {mib(run.app_rss_start)}) |",
        f"| peak RSS of the graph server JVM (`VmHWM`, `-Xmx{a.heap}`) | {mib(run.jvm.get('graph', {}).get('hwm', 0))} |",
        f"| RSS of the graph server JVM at the end of the load | {mib(run.jvm.get('graph', {}).get('rss', 0))} |",
        f"| peak RSS of the baseline server JVM | {mib(run.jvm.get('baseline', {}).get('hwm', 0))} |",
    ]
    rows_total = total["rows"] or 1
    for key, (alloc, apparent) in sorted(run.disk.items()):
        name, moment = key.split()
        label = {"graph": "graph database", "baseline": "baseline database"}[name]
        when = "server running, right after the load" if moment == "running" else "after a clean shutdown"
        lines.append(f"| on-disk size of the {label}, {when} (`du`; apparent) | "
                     f"{size(alloc)} ({size(apparent)}); {alloc / rows_total:,.0f} B/row |")
    lines += [
        "",
        "The app's peak includes the baseline's copy of one batch; the rows are generated batch by "
        "batch, so it does not grow with the number of rows.",
        "",
        "### Checks after the load",
        "",
        f"Written: {', '.join(f'{k} {v:,}' for k, v in run.written.items())}. Counted in the graph: "
        f"{', '.join(f'{k} {v:,}' for k, v in run.counts.items())}.",
        "",
        f"| read query (after the load) | median of {a.repeat} | min | max |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, times in run.reads.items():
        lines.append(f"| `{name}` | {statistics.median(times) * 1000:,.0f} ms | "
                     f"{min(times) * 1000:,.0f} ms | {max(times) * 1000:,.0f} ms |")
    lines += [
        "",
        "### Reproduce",
        "",
        "```sh",
        "make bench                              # this section, full size (about 100k + 1M rows)",
        ".venv/bin/python -m bench.load_bench --quick              # 10k + 100k rows, prints only",
        ".venv/bin/python -m bench.load_bench --help               # sizes, batch, heap, --keep",
        "```",
    ]
    return "\n".join(lines) + "\n"


def _verify(run: Run) -> list[str]:
    problems = []
    expect = {"enterprises": run.args.enterprises}
    if run.counts.get("enterprises") != expect["enterprises"]:
        problems.append(f"expected {expect['enterprises']} enterprises, counted {run.counts.get('enterprises')}")
    items = run.counts.get("supply", 0) + run.counts.get("demand", 0)
    if items != run.args.items:
        problems.append(f"expected {run.args.items} items, counted {items}")
    per_chain = sum(c.get("supply_items", 0) + c.get("demand_items", 0) for c in run.list_chains_rows)
    if per_chain != items:
        problems.append(f"list_chains counts {per_chain} items over the chains, the graph {items}")
    if run.counts.get("baseline") != run.args.enterprises + run.args.items:
        problems.append(f"baseline has {run.counts.get('baseline')} rows")
    return problems


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.load_bench", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--enterprises", type=int, default=100_000)
    p.add_argument("--items", type=int, default=1_000_000)
    p.add_argument("--batch", type=int, default=5000, help="rows per write transaction (default 5000)")
    p.add_argument("--heap", default="4g", help="JVM heap of each graph server (default 4g)")
    p.add_argument("--quick", action="store_true",
                   help="10,000 enterprises and 100,000 items; writes no file unless --out is given")
    p.add_argument("--repeat", type=int, default=5, help="runs of each read query (default 5)")
    p.add_argument("--out", default=None,
                   help=f"report file (default {common.DEFAULT_REPORT.relative_to(common.PROJECT_DIR)}; "
                        "'-' prints only)")
    p.add_argument("--tmpdir", default=None, help="parent of the temporary data directories")
    p.add_argument("--keep", action="store_true", help="keep the temporary data directories")
    p.add_argument("--json", default=None, help="also save the raw measurements to this file")
    p.add_argument("--render", default=None, metavar="JSON",
                   help="do not run: render the report from a file saved with --json")
    args = p.parse_args(argv)
    if args.quick:
        args.enterprises, args.items = 10_000, 100_000
        args.out = args.out or "-"
    args.out = args.out or str(common.DEFAULT_REPORT)
    if args.enterprises < 1 or args.items < 0 or args.batch < 1:
        p.error("--enterprises must be at least 1, --items at least 0, --batch at least 1")
    return args


def save(run: Run, path: Path) -> None:
    data = asdict(run)
    data["args"] = vars(run.args)
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")


def load(path: Path) -> Run:
    data = json.loads(path.read_text(encoding="utf-8"))
    data["args"] = argparse.Namespace(**data["args"])
    data["samples"] = [Sample(**s) for s in data["samples"]]
    data["disk"] = {k: tuple(v) for k, v in data["disk"].items()}
    return Run(**data)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    out = args.out
    if args.render:
        run = load(Path(args.render))  # sizes and the rest come from the saved run
    else:
        run = execute(args)
        if args.json:
            save(run, Path(args.json))
    report = render(run)
    print(report)
    problems = _verify(run)
    for problem in problems:
        print(f"CHECK FAILED: {problem}", file=sys.stderr)
    if out != "-":
        if problems:
            print(f"not writing {out}: the checks failed", file=sys.stderr)
        else:
            common.write_section(Path(out), SECTION, report)
            print(f"wrote the '{SECTION}' section of {out}", file=sys.stderr)
    return 1 if problems else 0

if __name__ == "__main__":
    sys.exit(main())
