"""Evaluation sets as (queries, documents, graded judgments).

- `own`: the platform's labelled bilingual set in seeds/matching_eval/ (demand items
  against a supplier catalog, grades 0-3, kinds and dev/test splits).
- `abt-buy`, `amazon-google`: ../shared/bench-data (Leipzig); each record of the first
  table is a query, its gold records in the second table are grade 3.

Query text is what a buyer writes (the name or title, with the maker when given);
document text is what a catalog shows (name, maker, the first 300 characters of the
description). Every method under comparison gets the same texts.
"""
from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH_DATA = ROOT.parent / "shared" / "bench-data"
OWN_SET = ROOT / "seeds" / "matching_eval"
DESCRIPTION_CHARS = 300


@dataclass
class Query:
    id: str
    text: str
    kind: str = ""
    split: str = "test"
    record: dict = field(default_factory=dict)


@dataclass
class Document:
    id: str
    text: str
    record: dict = field(default_factory=dict)


@dataclass
class EvalSet:
    name: str
    queries: list[Query]
    documents: list[Document]
    grades: dict[str, dict[str, int]]   # query id -> document id -> grade (absent = 0)
    enterprises: dict[str, dict] = field(default_factory=dict)


def _read(path: Path, encoding: str = "utf-8") -> list[dict]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle))


def _join(*parts: str | None) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


def _leipzig(name: str, a_file: str, b_file: str, gold_file: str, a_title: str) -> EvalSet:
    folder = BENCH_DATA / name
    a_rows, b_rows = _read(folder / a_file, "latin-1"), _read(folder / b_file, "latin-1")
    queries = [Query(r["id"], _join(r[a_title], r.get("manufacturer"))) for r in a_rows]
    documents = [Document(r["id"], _join(r["name"], r.get("manufacturer"),
                                         (r.get("description") or "")[:DESCRIPTION_CHARS])) for r in b_rows]
    grades: dict[str, dict[str, int]] = defaultdict(dict)
    for a_id, b_id in (tuple(r.values()) for r in _read(folder / gold_file)):
        grades[a_id][b_id] = 3
    matched = [q for q in queries if q.id in grades]
    return EvalSet(name, matched, documents, dict(grades))


def abt_buy() -> EvalSet:
    return _leipzig("abt-buy", "Abt.csv", "Buy.csv", "abt_buy_perfectMapping.csv", "name")


def amazon_google() -> EvalSet:
    return _leipzig("amazon-google", "Amazon.csv", "GoogleProducts.csv",
                    "Amzon_GoogleProducts_perfectMapping.csv", "title")


def own_set() -> EvalSet:
    enterprises = {r["id"]: r for r in _read(OWN_SET / "enterprises.csv")}
    queries = [Query(r["id"], _join(r["name"], r.get("description")), r.get("kind", ""), r.get("split", "test"), r)
               for r in _read(OWN_SET / "demand.csv")]
    documents = [Document(r["id"], _join(r["name"], r.get("description")), r)
                 for r in _read(OWN_SET / "supply.csv")]
    grades: dict[str, dict[str, int]] = defaultdict(dict)
    for r in _read(OWN_SET / "judgments.csv"):
        grades[r["demand_id"]][r["supply_id"]] = int(r["grade"])
    return EvalSet("own", queries, documents, dict(grades), enterprises)


def available() -> dict[str, callable]:
    sets = {}
    if (OWN_SET / "judgments.csv").exists():
        sets["own"] = own_set
    if BENCH_DATA.exists():
        sets.update({"abt-buy": abt_buy, "amazon-google": amazon_google})
    return sets
