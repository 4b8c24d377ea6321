"""List queries: the per-process item catalog (before) against the shared list index (now), in one run.

    python -m bench.list_index_bench                       # 200k items; prints the report
    python -m bench.list_index_bench --report              # ... and rewrites docs/BENCHMARKS.md "list-index"
    python -m bench.list_index_bench --items 5000 --repeat 3    # smoke run

Steps, all against one freshly seeded embedded server (`seed_generate`, as `seed generate`):
1. the baseline is the catalog of revision `--baseline-rev` (matchmaker/services/catalog.py and
   graph/item_feed.py as they were), loaded from git into a temporary module;
2. both are built (the catalog by its first query; the index by `ListIndexes.build`), timed;
3. a fixed mix of list queries (what /supply, /demand and the chain overview ask) runs round by
   round, old and new back to back for each query, so noise falls on both; totals must agree;
4. memory: three processes each serving the mix (every column touched) through the old catalog,
   then three through the index, each group measured while all three are alive (PSS from
   /proc/<pid>/smaps_rollup divides shared pages among the processes that map them).
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from graph.db import GraphDB
from graph.item_search import ItemQuery, search_items
from graph.server import EmbeddedServer
from graph.settings import GraphSettings
from matchmaker.lists import ListIndexes
from matchmaker.services.generator import Plan
from matchmaker.services.reference import init_db
from matchmaker.services.seeding import seed_generate

from . import common
from .common import mib, percentile
from .index_memory import smaps

SECTION = "list-index"
PROJECT_DIR = Path(__file__).resolve().parent.parent
BASELINE_REV = "af5e5af"  # the last revision with the per-process catalog
TODAY = date.today().isoformat()


def load_baseline(rev: str, into: Path):
    """The old catalog module of `rev`, reading the old item feed (both from git, not the work tree)."""
    into.mkdir(parents=True, exist_ok=True)
    feed = _git_show(rev, "graph/item_feed.py").replace("from .changes", "from graph.changes") \
        .replace("from .db", "from graph.db").replace("from .items", "from graph.items")
    (into / "old_item_feed.py").write_text(feed, encoding="utf-8")
    catalog = _git_show(rev, "matchmaker/services/catalog.py").replace(
        "from graph import item_feed", "import old_item_feed as item_feed")
    (into / "old_catalog.py").write_text(catalog, encoding="utf-8")
    sys.path.insert(0, str(into))
    spec = importlib.util.spec_from_file_location("old_catalog", into / "old_catalog.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _git_show(rev: str, path: str) -> str:
    return subprocess.run(["git", "show", f"{rev}:{path}"], cwd=PROJECT_DIR, check=True, capture_output=True,
                          text=True).stdout


def query_mix(db: GraphDB) -> list[tuple[str, ItemQuery]]:
    """What the list pages ask: a published-only first page per sort, filters, words, a deep page."""
    supply = search_items(db, ItemQuery("supply", {}, limit=200))[0]
    demand = search_items(db, ItemQuery("demand", {}, limit=200))[0]
    chain, word = supply[0]["chain_id"], supply[7]["name"][:2]
    pub = {"statuses": ["published"]}
    return [
        ("supply, published, recent", ItemQuery("supply", dict(pub), today=TODAY)),
        ("supply, published, by name", ItemQuery("supply", dict(pub), sort="name", today=TODAY)),
        ("supply, chain + local, by capacity", ItemQuery("supply", {**pub, "chain_id": chain, "local": True},
                                                         sort="capacity", today=TODAY)),
        (f"supply, word '{word}'", ItemQuery("supply", dict(pub), [word], today=TODAY)),
        ("supply, 'precision' or '精密'", ItemQuery("supply", dict(pub), [["precision", "精密"]], today=TODAY)),
        ("supply, certification IATF16949", ItemQuery("supply", {**pub, "certification": "IATF16949"},
                                                      today=TODAY)),
        ("supply, page 50", ItemQuery("supply", dict(pub), skip=980, today=TODAY)),
        ("demand, published, by value", ItemQuery("demand", dict(pub), sort="value", today=TODAY)),
        ("demand, chain, by deadline", ItemQuery("demand", {**pub, "chain_id": demand[0]["chain_id"]},
                                                 sort="deadline", today=TODAY)),
    ]


class Old:
    def __init__(self, module, db: GraphDB) -> None:
        self.module, self.db = module, db

    def search(self, query: ItemQuery):
        return self.module.catalog_for(self.db, query.kind).search(self.db, query)

    def counts(self):
        return [self.module.catalog_for(self.db, k).count_by(self.db, "chain_id") for k in ("supply", "demand")]


class New:
    def __init__(self, lists: ListIndexes) -> None:
        self.lists = lists

    def search(self, query: ItemQuery):
        return self.lists.catalog(query.kind).search(query)

    def counts(self):
        return [self.lists.catalog(k).count_by("chain_id") for k in ("supply", "demand")]


def serve_all(side, mix) -> None:
    for _, query in mix:
        side.search(query)
    side.counts()


def time_mix(old: Old, new: New, mix, repeat: int) -> dict[str, dict[str, list[float]]]:
    samples = {label: {"old": [], "new": []} for label, _ in [*mix, ("chain counts", None)]}
    for _ in range(repeat):
        for label, query in [*mix, ("chain counts", None)]:
            for name, side in (("old", old), ("new", new)):
                t = time.perf_counter()
                result = side.counts() if query is None else side.search(query)
                samples[label][name].append(time.perf_counter() - t)
                samples[label].setdefault(f"{name}_result", result)
    return samples


def child(mode: str, uri: str, var: str, baseline: str) -> None:
    """One serving process: build or open, answer the mix once, report, wait for stdin to close."""
    db = GraphDB(GraphSettings(uri, os.environ["BENCH_GRAPH_USER"], os.environ["BENCH_GRAPH_PASSWORD"], os.environ["BENCH_GRAPH_DATABASE"]),
                 retry_seconds=60.0)
    t = time.perf_counter()
    side = New(ListIndexes(db, Path(var), builder_thread=False)) if mode == "new" else \
        Old(load_baseline(os.environ["BENCH_BASELINE_REV"], Path(baseline)), db) if mode == "old" else None
    mix = query_mix(db)
    if side is not None:
        serve_all(side, mix)
    print(f"ready {time.perf_counter() - t:.3f}", flush=True)
    sys.stdin.read()


def measure_group(mode: str, settings: GraphSettings, tmp: Path, count: int, rev: str) -> dict:
    env = {**os.environ, "BENCH_GRAPH_USER": settings.user, "BENCH_GRAPH_PASSWORD": settings.password, "BENCH_GRAPH_DATABASE": settings.database,
           "BENCH_BASELINE_REV": rev}
    procs = [subprocess.Popen([sys.executable, "-m", "bench.list_index_bench", "--child", mode, settings.uri,
                               str(tmp / "var"), str(tmp / f"baseline-{mode}-{n}")],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=PROJECT_DIR, env=env)
             for n in range(count)]
    try:
        ready = [float(p.stdout.readline().split()[1]) for p in procs]
        memory = [smaps(p.pid) for p in procs]
    finally:
        for p in procs:
            p.stdin.close()
            p.wait()
    return {"mode": mode, "ready_s": statistics.median(ready), "rss": [m["Rss"] for m in memory],
            "pss": [m["Pss"] for m in memory]}


def run(args) -> str:
    info = common.RunInfo(args)
    tmp = Path(tempfile.mkdtemp(prefix="list-index-bench-", dir=args.tmpdir))
    server = EmbeddedServer(tmp / "graph", heap=args.heap)
    try:
        settings, _ = server.start()
        db = GraphDB(settings, retry_seconds=60.0)
        init_db(db)
        t = time.perf_counter()
        written = seed_generate(db, Plan(args.enterprises, args.items, 1), "510100", batch=5000)
        seed_s = time.perf_counter() - t
        old = Old(load_baseline(args.baseline_rev, tmp / "baseline"), db)
        new = New(ListIndexes(db, tmp / "var", builder_thread=False))
        mix = query_mix(db)
        builds = {}
        for name, build in (("old", lambda: [old.search(ItemQuery(k, {}, today=TODAY)) for k in ("supply", "demand")]),
                            ("new", lambda: [new.lists.build(k) for k in ("supply", "demand")])):
            t = time.perf_counter()
            build()
            builds[name] = time.perf_counter() - t
        serve_all(old, mix)
        serve_all(new, mix)  # warm: first reads map the pages
        samples = time_mix(old, new, mix, args.repeat)
        groups = [measure_group(m, settings, tmp, n, args.baseline_rev) for m, n in (("none", 1), ("old", 3), ("new", 3))]
        info.load_after = common.load_average()
        disk = sum(f.stat().st_size for f in (tmp / "var").rglob("*") if f.is_file())
        return report(info, args, written, seed_s, builds, samples, groups, disk)
    finally:
        server.stop()
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


def report(info, args, written, seed_s, builds, samples, groups, disk) -> str:
    m = info.machine
    lines = [f"Measured {info.started} on {m['cpus']} CPUs ({m['cpu_model']}), {m['ram_gib']:.0f} GiB RAM, "
             f"Python {m['python']}, {m['os']}; revision {info.revision} (baseline: the catalog of {args.baseline_rev}); "
             f"load average {info.load_before} before, {info.load_after} after (the machine is shared). "
             f"`python -m bench.list_index_bench --items {args.items} --enterprises {args.enterprises} "
             f"--repeat {args.repeat}`.", "",
             f"{written.get('supply', 0):,} supply and {written.get('demand', 0):,} demand items "
             f"({seed_s:.0f} s to seed). Build: old catalog {builds['old']:.1f} s per process (both kinds), "
             f"list index {builds['new']:.1f} s once per host; index files {mib(disk)}.", "",
             "| query | old p50 | old p95 | new p50 | new p95 | new/old p50 | new/old p95 | total (same in both) |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    ratios = []
    for label, s in samples.items():
        old, new = s["old"], s["new"]
        p50 = (statistics.median(old), statistics.median(new))
        p95 = (percentile(old, 95), percentile(new, 95))
        ratios.append(p50[1] / p50[0])
        total_old, total_new = _total(s["old_result"]), _total(s["new_result"])
        agree = f"{total_new:,}" if total_old == total_new else f"**{total_old:,} vs {total_new:,}**"
        lines.append(f"| {label} | {_ms(p50[0])} | {_ms(p95[0])} | {_ms(p50[1])} | {_ms(p95[1])} | "
                     f"{p50[1] / p50[0]:.2f} | {p95[1] / p95[0]:.2f} | {agree} |")
    lines += ["", f"Median new/old p50 ratio over the queries: **{statistics.median(ratios):.2f}** "
                  f"({args.repeat} rounds, old and new back to back per query).", "",
              "| processes serving lists | ready after | RSS each | PSS each | PSS total |",
              "| --- | ---: | ---: | ---: | ---: |"]
    names = {"none": "1 process: driver and imports only (baseline)", "old": "3 processes, per-process catalog",
             "new": "3 processes, shared list index"}
    for g in groups:
        lines.append(f"| {names[g['mode']]} | {g['ready_s']:.1f} s | {' / '.join(mib(r) for r in g['rss'])} | "
                     f"{' / '.join(mib(p) for p in g['pss'])} | **{mib(sum(g['pss']))}** |")
    return "\n".join(lines)


def _total(result) -> int:
    if isinstance(result, list):  # chain counts
        return sum(sum(c.values()) for c in result)
    return result[1]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--items", type=int, default=200_000)
    p.add_argument("--enterprises", type=int, default=20_000)
    p.add_argument("--repeat", type=int, default=15, help="rounds of the query mix (default 15)")
    p.add_argument("--heap", default="4g")
    p.add_argument("--baseline-rev", default=BASELINE_REV)
    p.add_argument("--tmpdir", default=None)
    p.add_argument("--keep", action="store_true")
    p.add_argument("--report", nargs="?", const=str(common.DEFAULT_REPORT), default=None)
    args = p.parse_args(argv)
    if args.items < 1 or args.enterprises < 1 or args.repeat < 1:
        p.error("--items, --enterprises and --repeat must be at least 1")
    known = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{args.baseline_rev}^{{commit}}"],
                           cwd=PROJECT_DIR, capture_output=True)
    if known.returncode != 0:
        p.error(f"--baseline-rev {args.baseline_rev!r} is not a commit of this repository")
    return args


def main(argv: list[str] | None = None) -> None:
    if argv is None and len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:6])
        return
    args = parse_args(argv)
    body = run(args)
    print(body)
    if args.report:
        common.write_section(Path(args.report), SECTION, "## Lists on the shared index\n\n" + body)


if __name__ == "__main__":
    main()
