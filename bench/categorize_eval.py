"""Category inference, measured: `python -m bench.categorize_eval [--fit]`.

Test set: the demo supply and demand items (seeds/demo/*.csv), whose categories were
filled by hand; each item's text is its name and description, its category hidden.
They are never used for fitting. Dev set (for --fit, the temperature and the "none"
score of matchmaker.matching.categorize): every category keyword held out of its own
category in turn (the classifier is rebuilt without it) and used as the text.
Both classifiers are scored with and without the item's chain column as a hint.
"""
from __future__ import annotations

import argparse
import csv
import math
from collections import Counter, defaultdict

from matchmaker.config import PROJECT_DIR
from matchmaker.matching.categorize import Categorizer
from matchmaker.services.chain_names import ChainNames
from matchmaker.services.taxonomy import read_taxonomy
from matchmaker.services.text import tokens


class FirstVersion:
    """The classifier before this change (token overlap weighted by inverse category frequency)."""

    def __init__(self, categories: list[dict]):
        self._chain_of = {c["id"]: c["chain_id"] for c in categories}
        profiles = {c["id"]: set(tokens(" ".join([c["name_zh"], c["name_en"], *c["keywords"]])))
                    for c in categories}
        frequency = Counter(t for toks in profiles.values() for t in toks)
        self._postings = defaultdict(list)
        for category_id, toks in profiles.items():
            for token in toks:
                self._postings[token].append((category_id, math.log(1 + len(profiles) / frequency[token])))

    def ranked(self, text: str, chain_id: str | None) -> list[str]:
        scores = defaultdict(float)
        for token in set(tokens(text)):
            for category_id, weight in self._postings.get(token, ()):
                if chain_id is None or self._chain_of[category_id] == chain_id:
                    scores[category_id] += weight
        best = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        return [c for c, s in best if s >= 1.0][:3]  # it proposed nothing under a score of 1


def demo_items() -> list[dict]:
    out = []
    for kind in ("supply", "demand"):
        with open(PROJECT_DIR / "seeds" / "demo" / f"{kind}.csv", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["category"]:
                    out.append({"kind": kind, "text": f"{row['name']} {row['description']}",
                                "category": row["category"], "chain": row["chain"]})
    return out


def scores(rank, items: list[dict], chains: ChainNames | None) -> dict:
    top1 = top3 = 0
    for item in items:
        chain_id = chains.resolve(item["chain"]) if chains and item["chain"] else None
        ranked = rank(item["text"], chain_id)
        top1 += bool(ranked) and ranked[0] == item["category"]
        top3 += item["category"] in ranked[:3]
    return {"n": len(items), "top1": top1 / len(items), "top3": top3 / len(items)}


# Generic procurement phrases with no product in them: the noise an item's description adds.
FILLERS = ("批量供货，年产能10万件，交期稳定，可提供样品", "支持定制开发，质量体系完善，欢迎来电洽谈",
           "for volume supply, annual capacity 100k pcs, samples available",
           "custom development supported, stable delivery, competitive price")


def dev_cases(categories: list[dict], step: int = 4) -> list[tuple[str, str, str, list[dict]]]:
    """(kind, text, category, taxonomy without the text) held out of the taxonomy itself:
    a keyword; the English name (English texts must find the category without it); two
    keywords in a generic procurement sentence. Every `step`-th case of each kind."""
    cases = []
    for i, category in enumerate(categories):
        def without(**change) -> list[dict]:
            return categories[:i] + [{**category, **change}] + categories[i + 1:]
        keywords = category["keywords"]
        for keyword in keywords:
            cases.append(("keyword", keyword, category["id"],
                          without(keywords=[k for k in keywords if k != keyword])))
        cases.append(("english name", category["name_en"], category["id"], without(name_en="")))
        pair = keywords[i % len(keywords)], keywords[(i + 1) % len(keywords)]
        cases.append(("item-like", f"{pair[0]} {pair[1]}，{FILLERS[i % len(FILLERS)]}", category["id"],
                      without(keywords=[k for k in keywords if k not in pair])))
    by_kind = defaultdict(list)
    for case in cases:
        by_kind[case[0]].append(case)
    return [case for kind_cases in by_kind.values() for case in kind_cases[::step]]


def dev_scores(make, categories: list[dict], step: int = 4) -> dict:
    """Top-1 per dev case kind of the classifier `make(taxonomy)` returns (a rank function)."""
    hits = defaultdict(list)
    for kind, text, truth, taxonomy in dev_cases(categories, step):
        ranked = make(taxonomy)(text, None)
        hits[kind].append(bool(ranked) and ranked[0] == truth)
    return {kind: sum(h) / len(h) for kind, h in hits.items()}


def hand_dev_items() -> list[dict]:
    """bench/data/category_dev.csv: 60 item lines written for tuning, none from the demo data."""
    with open(PROJECT_DIR / "bench" / "data" / "category_dev.csv", encoding="utf-8") as handle:
        return [{"kind": "dev", "text": r["text"], "category": r["category"], "chain": ""}
                for r in csv.DictReader(handle)]


def fit(categories: list[dict], chains: dict) -> None:
    """Grid search of (unknown-term share, temperature, none score) by the calibration of the
    top-1 confidence on the dev sets (the ranking, hence accuracy, does not depend on them)."""
    full = Categorizer(categories, chains=chains)
    cases = [(full, i["text"], i["category"]) for i in hand_dev_items()]
    # Item-like hold-outs only: a lone keyword is shorter and vaguer than any item line.
    cases += [(Categorizer(taxonomy, chains=chains), text, truth)
              for kind, text, truth, taxonomy in dev_cases(categories, 1) if kind == "item-like"]
    best = None
    for unknown in (0.0, 0.1, 0.25, 0.5):
        ranked = []
        for model, text, truth in cases:
            model._unknown_idf = unknown * math.log(1 + len(categories))
            raw, reach = model._scores(text, None)
            ranked.append(({c: s / reach for c, s in raw.items()} if reach else {}, truth))
        for temperature in (4, 6, 8, 10, 12, 15, 20):
            for none in (0.0, 0.1, 0.2, 0.3):  # "none of these" never scores below nothing matched
                error = expected_calibration_error(ranked, temperature, none)
                if best is None or error < best[0]:
                    best = (error, unknown, temperature, none)
    print(f"dev set: {len(cases)} texts; top-1 confidence is best calibrated (expected calibration "
          f"error {best[0]:.3f}) at unknown share {best[1]}, temperature {best[2]}, none score {best[3]}")


def expected_calibration_error(ranked: list[tuple[dict, str]], temperature: float, none: float) -> float:
    """Mean |accuracy - confidence| of the top-1 over five confidence bands, weighted by size."""
    bands = defaultdict(lambda: [0, 0.0, 0])
    for normalised, truth in ranked:
        if not normalised:
            continue
        top = max(normalised, key=lambda c: (normalised[c], c))
        total = sum(math.exp(temperature * s) for s in normalised.values()) + math.exp(temperature * none)
        confidence = math.exp(temperature * normalised[top]) / total
        band = bands[min(int(confidence * 5), 4)]
        band[0] += 1
        band[1] += confidence
        band[2] += top == truth
    n = sum(b[0] for b in bands.values())
    return sum(abs(b[2] - b[1]) for b in bands.values()) / n


def calibration(model: Categorizer, items: list[dict]) -> list[str]:
    """Top-1 accuracy per confidence band: are the confidences honest?"""
    bands = defaultdict(lambda: [0, 0])
    for item in items:
        ranked = model.rank(item["text"], None, limit=1)
        if not ranked:
            continue
        band = min(int(ranked[0].confidence * 5), 4)
        bands[band][0] += 1
        bands[band][1] += ranked[0].category_id == item["category"]
    return [f"{b / 5:.1f}-{(b + 1) / 5:.1f}: {n} items, {ok / n:.0%} right" for b, (n, ok) in sorted(bands.items())]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", action="store_true", help="fit temperature and none score on the dev set")
    args = parser.parse_args()
    taxonomy = read_taxonomy()
    chain_names = {c["id"]: [c["name_zh"], c["name_en"], *c["aliases"]] for c in taxonomy.chains}
    if args.fit:
        fit(taxonomy.categories, chain_names)
    resolver = ChainNames(taxonomy.chains)
    old, new = FirstVersion(taxonomy.categories), Categorizer(taxonomy.categories, chains=chain_names)
    classifiers = {"first version (token overlap)": old.ranked,
                   "new (categorize.py)": lambda t, c: [p.category_id for p in new.rank(t, prefer_chain=c)]}
    dev = dev_scores(lambda tax: FirstVersion(tax).ranked, taxonomy.categories)
    print("dev, first version:", dev)
    dev = dev_scores(lambda tax: (lambda m: lambda t, c: [p.category_id for p in m.rank(t, c)])(
        Categorizer(tax, chains=chain_names)), taxonomy.categories)
    print("dev, new:", dev)
    items = demo_items()
    for name, rank in classifiers.items():
        print(f"hand-written dev set, {name}:", scores(rank, hand_dev_items(), None))
    print("| classifier | set | items | chain hint | top-1 | top-3 |\n| --- | --- | --- | --- | --- | --- |")
    for name, rank in classifiers.items():
        for subset in ("supply", "demand", "all"):
            chosen = [i for i in items if subset in ("all", i["kind"])]
            for hint in (False, True):
                s = scores(rank, chosen, resolver if hint else None)
                print(f"| {name} | {subset} | {s['n']} | {'yes' if hint else 'no'} | {s['top1']:.1%} | {s['top3']:.1%} |")
    print("\ncalibration of the new classifier's top-1 confidence (no chain hint):")
    print("\n".join(calibration(new, items)))


if __name__ == "__main__":
    main()
