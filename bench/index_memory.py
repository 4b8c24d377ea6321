"""Index memory benchmark: is a memory-mapped index shared between worker processes?

    python -m bench.index_memory                 # 1,000,000 rows; rewrites docs/INDEX.md's measurement
    python -m bench.index_memory --rows 20000 --no-write

Builds an index of N rows (int and float columns, a string column and a 384-dim float16
vector matrix) with `IndexBuilder` from a synthetic source, then starts 3 reader processes
that map it and touch every row, and 3 that hold private in-memory copies of the same
columns; each group is measured while all its members are alive, from /proc/<pid>/smaps_rollup
(Pss divides each shared page among the processes that map it; Rss counts it in each).
"""
from __future__ import annotations

import argparse
import gc
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from tqdm import tqdm

from bench.common import PROJECT_DIR, RunInfo, disk_usage, load_average, size, utc_now, write_section
from matchmaker.index import IndexBuilder, IndexReader, StringColumn

REPORT = PROJECT_DIR / "docs" / "INDEX.md"
DIM = 384


class SyntheticSource:
    """N supply items with deterministic fields; only what a full build reads."""

    def __init__(self, rows: int) -> None:
        self.rows = rows

    def max_seq(self) -> int:
        return self.rows

    def scan(self, batch_size: int):
        for start in range(0, self.rows, batch_size):
            yield [{"id": f"s-{i:07d}", "seq": i + 1, "kind": "supply", "enterprise": i // 10,
                    "tier": i % 4, "value": i * 1.5, "capacity": float(i % 1000),
                    "name": f"零件 {i} 型号 AB-{i % 9973} precision gear"}
                   for i in range(start, min(start + batch_size, self.rows))]


def encode(rows: list[dict]) -> dict:
    rng = np.random.default_rng(rows[0]["seq"])
    return {"enterprise": np.array([r["enterprise"] for r in rows], dtype=np.int32),
            "tier": np.array([r["tier"] for r in rows], dtype=np.int8),
            "value": np.array([r["value"] for r in rows], dtype=np.float64),
            "capacity": np.array([r["capacity"] for r in rows], dtype=np.float32),
            "name": [r["name"] for r in rows],
            "vector": rng.standard_normal((len(rows), DIM), dtype=np.float32).astype(np.float16)}


# -- a child process: map or copy the index, touch every row, wait to be measured --------------
def child(mode: str, directory: str) -> None:
    started = time.perf_counter()
    view = IndexReader(Path(directory)).view()
    opened = time.perf_counter() - started
    columns = [dict(segment.columns) for segment in view.segments] if mode != "idle" else []
    if mode == "private":  # copy, then unmap: only the private copy stays resident
        columns = [{n: _copy(c) for n, c in seg.items()} for seg in columns]
        del view
        gc.collect()
    total = sum(_touch(c) for seg in columns for c in seg.values())
    touched = time.perf_counter() - started
    print(f"ready {opened:.4f} {touched:.3f} {_lookup_us(view) if mode == 'mapped' else 'nan'} {total:.1f}",
          flush=True)
    sys.stdin.readline()


def _lookup_us(view, count: int = 20_000) -> float:
    """Mean time of View.find (id -> segment row) for random existing ids, in microseconds."""
    rows = sum(len(segment["id"]) for segment in view.segments)
    ids = [f"s-{i:07d}" for i in np.random.default_rng(1).integers(0, rows, count)]
    started = time.perf_counter()
    assert all(view.find(item_id) for item_id in ids)
    return (time.perf_counter() - started) / count * 1e6


def _copy(column):
    if isinstance(column, StringColumn):  # the catalog's way: one private string plus offsets
        data, offsets = column.raw()
        return (data.tobytes().decode("utf-8"), np.array(offsets))
    return np.array(column)


def _touch(column) -> float:
    if isinstance(column, StringColumn):
        data, offsets = column.raw()
        return float(data.sum(dtype=np.uint64)) + float(offsets[-1])
    if isinstance(column, tuple):
        return float(len(column[0])) + float(column[1][-1])
    return sum(float(np.asarray(column[i:i + 8192], dtype=np.float32).sum()) for i in range(0, len(column), 8192))


def smaps(pid: int) -> dict[str, int]:
    out = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, value = line.split(":", 1)
        out[key] = int(value.split()[0]) * 1024
    return out


def measure_group(mode: str, directory: Path, count: int) -> dict:
    procs = [subprocess.Popen([sys.executable, "-m", "bench.index_memory", "--child", mode, str(directory)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=PROJECT_DIR)
             for _ in range(count)]
    try:
        reports = [p.stdout.readline().split() for p in procs]
        memory = [smaps(p.pid) for p in procs]
    finally:
        for p in procs:
            p.stdin.close()
            p.wait()
    return {"mode": mode, "open_s": statistics.median(float(r[1]) for r in reports),
            "touch_s": statistics.median(float(r[2]) for r in reports),
            "lookup_us": statistics.median(float(r[3]) for r in reports),
            "rss": [m["Rss"] for m in memory], "pss": [m["Pss"] for m in memory]}


def run(args) -> str:
    info = RunInfo(args)
    directory = Path(tempfile.mkdtemp(prefix="index-bench-", dir=args.dir))
    try:
        started = time.perf_counter()
        with tqdm(total=args.rows, unit="row", desc="build") as bar:
            IndexBuilder(directory, SyntheticSource(args.rows), encode, segment_rows=args.segment_rows,
                         batch_size=50_000, progress=bar.update).build_full()
        build_s = time.perf_counter() - started
        _allocated, apparent = disk_usage(directory)
        groups = [measure_group(mode, directory, n) for mode, n in
                  (("idle", 1), ("mapped", args.readers), ("private", args.readers))]
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    return report(info, args, build_s, apparent, groups)


def report(info: RunInfo, args, build_s: float, disk: int, groups: list[dict]) -> str:
    m = info.machine
    lines = [f"Measured {utc_now()} on {m['cpus']} CPUs ({m['cpu_model']}), {m['ram_gib']:.0f} GiB RAM, "
             f"Python {m['python']}, {m['os']}; revision {info.revision}; load average {info.load_before} "
             f"before, {load_average()} after (the machine is shared). `python -m bench.index_memory`.",
             "", f"{args.rows:,} rows: int32, int8, float64 and float32 columns, a string column, "
             f"a {DIM}-dim float16 vector matrix; segments of at most {args.segment_rows:,} rows.", "",
             f"- full build (synthetic source, encode, hash, write, fsync): **{build_s:.1f} s**",
             f"- segment files on disk: **{size(disk)}**", "",
             "| processes | open (median) | open + touch every row | id lookup | RSS each | PSS each | PSS total |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    names = {"idle": "1 process that opens the index and touches nothing (baseline)",
             "mapped": f"{args.readers} readers mapping the index", "private": f"{args.readers} private copies"}
    for g in groups:
        lines.append(f"| {names[g['mode']]} | {g['open_s'] * 1000:.1f} ms | {g['touch_s']:.1f} s | "
                     f"{_micro(g['lookup_us'])} | {' / '.join(size(r) for r in g['rss'])} | {' / '.join(size(p) for p in g['pss'])} | "
                     f"**{size(sum(g['pss']))}** |")
    return "\n".join(lines)


def _micro(value: float) -> str:
    return "" if value != value else f"{value:.0f} µs"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--segment-rows", type=int, default=250_000)
    parser.add_argument("--readers", type=int, default=3)
    parser.add_argument("--dir", default=None, help="where the temporary index goes (default: system temp)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/INDEX.md alone")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(*args.child)
    body = run(args)
    print(body)
    if not args.no_write:
        write_section(REPORT, "index-memory", body)


if __name__ == "__main__":
    main()
