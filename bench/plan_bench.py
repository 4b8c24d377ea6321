"""Benchmark of the batch plan solver (matchmaker/docking/plan.py) on synthetic inputs the size of the
largest chain and of all chains at 100,000 enterprises / 1,000,000 items (`make bench-plan`).

The inputs are made in memory with the proportions of `seed generate` (matchmaker/services/generator.py):
40% of items are demand items, owned by the 5,000 leaders (one in 20 firms), a chain per leader by
`owner % 17`, so the largest chain holds 295 of the 5,000 leaders; 35% of demand items are served locally
today, so 65% are open items for the plan; 60% of items are supply items, 70% of them of local firms,
spread evenly over the 17 chains. Quantities 100..19,900, unit prices 5..5,000 CNY, capacities
100..49,900, as the generator draws them. Candidate pairs stay within the item's category (the engine's
good fits are same-category texts): each open item gets 0..16 local supply items of its category (mean 8,
below the 10 suppliers x up to 3 items the service asks for, as some fail the GOOD grade or a certification).
A second run divides every capacity by 10 ("tight"), where suppliers compete and the flow is needed.

Each case reports the solver's time and memory (the process's RSS high-water mark during the solve, and
how much it rose above the RSS before, which already holds the inputs), the greedy baseline's time, the
local value of both, and how many connected parts were solved by each route (single supplier or item, greedy at its bound, flow).
"""
from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from pathlib import Path

from matchmaker.docking.plan import Need, Offer, Pair, greedy, local_value, solve
from matchmaker.services.taxonomy import read_taxonomy

from . import common

SECTION = "plan"
ENTERPRISES, ITEMS, CHAINS = 100_000, 1_000_000, 17
LEADERS = ENTERPRISES // 20
DEMAND_SHARE, OPEN_SHARE, LOCAL_SUPPLIER_SHARE = 0.4, 0.65, 0.7
LARGEST_CHAIN_LEADERS = -(-LEADERS // CHAINS)   # 295 of 5,000


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the 1M-item sizes (e.g. 0.05)")
    parser.add_argument("--cases", default="chain,all", help="chain, all or both (comma-separated)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--report", default=str(common.DEFAULT_REPORT), help="'-' prints only")
    args = parser.parse_args(argv)
    if not 0 < args.scale <= 1:
        parser.error("--scale must be in (0, 1]")
    if set(args.cases.split(",")) - {"chain", "all"}:
        parser.error("--cases takes chain and/or all")
    return args


def instance(chains: int, chain_share: float, categories_per_chain: list[int], scale: float, rng: random.Random,
             tight: bool) -> tuple[list[Need], list[Offer], list[Pair]]:
    """Open items, local supply items and candidate pairs of `chains` chains holding `chain_share` of items."""
    open_items = int(ITEMS * DEMAND_SHARE * OPEN_SHARE * chain_share * scale)
    local_supply = int(ITEMS * (1 - DEMAND_SHARE) * LOCAL_SUPPLIER_SHARE * chain_share * scale)
    cats = [(c, k) for c in range(chains) for k in range(categories_per_chain[c % len(categories_per_chain)])]
    offers, by_cat = [], {}
    for j in range(local_supply):
        cat = rng.choice(cats)
        capacity = rng.randrange(1, 500) * 100 / (10 if tight else 1)
        offers.append(Offer(f"S{j}", f"E{j // 6}", capacity, "pcs"))
        by_cat.setdefault(cat, []).append(j)
    needs, pairs = [], []
    for i in range(open_items):
        need = Need(f"D{i}", rng.randrange(1, 200) * 100, round(rng.uniform(5, 5000), 2), "pcs", f"L{i % 295}")
        needs.append(need)
        pool = by_cat.get(rng.choice(cats), [])
        for j in rng.sample(pool, min(len(pool), rng.randrange(0, 17))):
            pairs.append(Pair(need.id, offers[j].id, round(rng.uniform(0.4, 1.0), 4)))
    return needs, offers, pairs


def measure(needs, offers, pairs) -> dict:
    gc.collect()
    reset = common.reset_peak_rss()
    rss_before = common.self_rss()
    stats: dict = {}
    started = time.perf_counter()
    plan = solve(needs, offers, pairs, stats)
    solve_s = time.perf_counter() - started
    rss_peak = common.self_peak_rss_since_reset() if reset else 0
    started = time.perf_counter()
    baseline = greedy(needs, offers, pairs)
    greedy_s = time.perf_counter() - started
    _check(needs, offers, plan)
    return {"needs": len(needs), "offers": len(offers), "pairs": len(pairs), "solve_s": solve_s,
            "greedy_s": greedy_s, "rss_extra": max(0, rss_peak - rss_before), "rss_peak": rss_peak,
            "value": local_value(plan), "greedy_value": local_value(baseline), "assignments": len(plan),
            "routes": stats}


def _check(needs, offers, plan) -> None:
    used_q, used_c = {}, {}
    for a in plan:
        used_q[a.demand_item_id] = used_q.get(a.demand_item_id, 0) + a.quantity
        used_c[a.supply_item_id] = used_c.get(a.supply_item_id, 0) + a.quantity
    assert all(used_q.get(n.id, 0) <= n.quantity + 1e-6 for n in needs), "a quantity was exceeded"
    assert all(used_c.get(o.id, 0) <= o.capacity + 1e-6 for o in offers), "a capacity was exceeded"


def run(args: argparse.Namespace) -> tuple[common.RunInfo, list[tuple[str, dict]]]:
    info = common.RunInfo(args)
    per_chain = {}
    for category in read_taxonomy().categories:
        per_chain[category["chain_id"]] = per_chain.get(category["chain_id"], 0) + 1
    sizes = sorted(per_chain.values(), reverse=True)
    cases = {"chain": (1, LARGEST_CHAIN_LEADERS / LEADERS, sizes[:1]), "all": (CHAINS, 1.0, sizes)}
    results = []
    for name in args.cases.split(","):
        for tight in (False, True):
            chains, share, cats = cases[name]
            needs, offers, pairs = instance(chains, share, cats, args.scale, random.Random(args.seed), tight)
            scope = "largest chain" if name == "chain" else "all chains"
            label = f"{scope}, {'tight' if tight else 'generator'} capacity"
            print(f"{label}: {len(needs):,} items, {len(offers):,} supply items, {len(pairs):,} pairs ...",
                  file=sys.stderr, flush=True)
            results.append((label, measure(needs, offers, pairs)))
            print(f"  solved in {results[-1][1]['solve_s']:.1f} s", file=sys.stderr, flush=True)
            del needs, offers, pairs
    info.load_after = common.load_average()
    return info, results


def render(info: common.RunInfo, results: list[tuple[str, dict]]) -> str:
    m = info.machine
    lines = [
        "## Batch plan (`make bench-plan`)", "",
        f"Run {info.started} on {m['cpus']} CPUs ({m['cpu_model']}), {m['ram_gib']:.0f} GiB RAM, Python "
        f"{m['python']}, revision {info.revision}; load average {info.load_before} before, {info.load_after} after"
        f" (the machine is shared). Sizes at {info.args.scale:g} x 100,000 enterprises / 1,000,000 items, made "
        "in memory as `bench/plan_bench.py` explains (open items = 65% of the demand items, local supply items "
        "= 70% of the supply items, 0..16 same-category candidate pairs per item). `tight` divides every "
        "capacity by 10. Time and memory are the solver's alone (the service also asks the matching engine "
        "for each item's candidates, which costs far more at this size: see docs/DOCKING.md).", "",
        "| case | open items | supply items | pairs | solve | greedy | peak RSS | RSS added by the solve "
        "| local value (plan) | plan / greedy | parts: single / bound / flow |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for label, r in results:
        routes = r["routes"]
        ratio = r["value"] / r["greedy_value"] if r["greedy_value"] else float("nan")
        lines.append(
            f"| {label} | {r['needs']:,} | {r['offers']:,} | {r['pairs']:,} | {r['solve_s']:.1f} s "
            f"| {r['greedy_s']:.1f} s | {r['rss_peak'] / 2**20:,.0f} MiB | {r['rss_extra'] / 2**20:,.0f} MiB "
            f"| {r['value'] / 1e9:,.2f} bn CNY | {ratio:.4f} "
            f"| {routes.get('single', 0):,} / {routes.get('bound', 0):,} / {routes.get('flow', 0):,} |")
    lines += ["", "Every case checks that no quantity or capacity is exceeded; the plan's local value is "
              "never below greedy's (the unit tests prove optimality on small cases against brute force)."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    info, results = run(args)
    report = render(info, results)
    print(report)
    if args.report != "-":
        common.write_section(Path(args.report), SECTION, report)
        print(f"wrote the '{SECTION}' section of {args.report}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
