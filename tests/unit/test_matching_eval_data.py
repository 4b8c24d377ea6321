"""Checks of the matching engine's data assets: the trade-term lexicon
(seeds/lexicon/trade_terms.yaml) and the labelled evaluation set
(seeds/matching_eval/), read with the project's own tabular reader."""
from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest

from matchmaker.rules.enterprise import CONTACTS
import yaml

from matchmaker.regions import RegionTable
from matchmaker.tabular import COLUMNS, parse_rows, read_table

SEEDS = Path(__file__).parents[2] / "seeds"
LEXICON = SEEDS / "lexicon" / "trade_terms.yaml"
EVAL = SEEDS / "matching_eval"
HOME_REGION = "510100"
# Certificates are judged valid or expired as of this day (see matching_eval/README.md).
REFERENCE_DATE = date(2026, 11, 30)
KINDS = {"exact", "synonym", "abbreviation", "spec", "functional", "cross_en_zh", "cross_zh_en",
         "hard_negative", "certification", "local"}
GROUP_FIELDS = {"zh", "en", "chains", "broader", "ambiguous", "note"}
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def chain_ids():
    with open(SEEDS / "chains.yaml", encoding="utf-8") as f:
        return {chain["id"] for chain in yaml.safe_load(f)["chains"]}


@pytest.fixture(scope="module")
def groups():
    with open(LEXICON, encoding="utf-8") as f:
        return yaml.safe_load(f)["groups"]


# ---------------------------------------------------------------- lexicon

def test_lexicon_groups_are_bilingual_and_well_formed(groups, chain_ids):
    assert len(groups) >= 250
    for group in groups:
        assert set(group) <= GROUP_FIELDS, group
        assert group["zh"] and all(CJK.search(str(t)) for t in group["zh"]), group
        assert group["en"] and not any(CJK.search(str(t)) for t in group["en"]), group
        assert group["chains"] and set(group["chains"]) <= chain_ids, group
        assert set(group.get("ambiguous", [])) <= set(group["zh"] + group["en"]), group
        assert bool(group.get("ambiguous")) == bool(group.get("note")), group


def test_lexicon_covers_every_chain(groups, chain_ids):
    per_chain = Counter(c for group in groups for c in group["chains"])
    assert {c for c, n in per_chain.items() if n >= 10} == chain_ids, per_chain


def test_no_term_in_two_groups(groups):
    owners: dict[str, int] = {}
    clashes = []
    for index, group in enumerate(groups):
        for term in {str(t).strip().casefold() for t in group["zh"] + group["en"]}:
            if term in owners:
                clashes.append((term, owners[term], index))
            owners[term] = index
    assert not clashes


def test_broader_terms_are_not_synonyms_of_their_group(groups):
    for group in groups:
        own = {str(t).casefold() for t in group["zh"] + group["en"]}
        assert not own & {str(t).casefold() for t in group.get("broader", [])}, group


# ---------------------------------------------------------------- evaluation set

def _parsed(kind: str, filename: str) -> dict[str, dict]:
    """Rows of an evaluation file as the import reads them, by id; no row may be rejected."""
    table = read_table((EVAL / filename).read_bytes(), filename)
    result = parse_rows(kind, table)
    assert result.errors == [], result.errors[:5]
    records = [record for _, record in result.valid]
    ids = [record["id"] for record in records]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    return {record["id"]: record for record in records}


def _raw(filename: str) -> list[dict]:
    with open(EVAL / filename, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def firms():
    return _parsed("enterprises", "enterprises.csv")


@pytest.fixture(scope="module")
def supply():
    return _parsed("supply", "supply.csv")


@pytest.fixture(scope="module")
def demand():
    return _parsed("demand", "demand.csv")


@pytest.fixture(scope="module")
def labels():
    """demand id -> {kind, split} from the two extra columns."""
    return {row["id"]: {"kind": row["kind"], "split": row["split"]} for row in _raw("demand.csv")}


@pytest.fixture(scope="module")
def grades():
    """demand id -> {supply id: grade}; pairs not listed are grade 0."""
    judged: dict[str, dict[str, int]] = defaultdict(dict)
    for row in _raw("judgments.csv"):
        assert row["supply_id"] not in judged[row["demand_id"]], row
        judged[row["demand_id"]][row["supply_id"]] = int(row["grade"])
    return judged


def test_headers_are_the_interchange_columns():
    for kind, filename, extra in [("enterprises", "enterprises.csv", []), ("supply", "supply.csv", []),
                                  ("demand", "demand.csv", ["kind", "split"])]:
        with open(EVAL / filename, encoding="utf-8", newline="") as f:
            header = next(csv.reader(f))
        # The public contract's columns: this installation's optional contact columns are not in it.
        contract = [c.name for c in COLUMNS[kind] if c.name not in CONTACTS]
        assert header == contract + extra, filename


def test_sizes_and_no_categories(firms, supply, demand):
    roles = Counter(firm["role"] for firm in firms.values())
    assert roles["sme"] >= 60 and roles["leader"] >= 15
    assert len(supply) >= 300 and len(demand) >= 100
    assert all(item["category"] is None for item in [*supply.values(), *demand.values()])


def test_items_belong_to_firms_of_the_right_role(firms, supply, demand):
    assert {firms[item["enterprise_id"]]["role"] for item in supply.values()} == {"sme"}
    assert {firms[item["enterprise_id"]]["role"] for item in demand.values()} == {"leader"}


def test_both_languages_in_catalog_and_demands(supply, demand):
    for items in (supply, demand):
        zh = sum(bool(CJK.search(item["name"])) for item in items.values())
        assert 0.1 * len(items) < len(items) - zh and 0.1 * len(items) < zh


def test_judgments_reference_known_items_with_valid_grades(grades, supply, demand):
    assert set(grades) <= set(demand)
    for judged in grades.values():
        assert set(judged) <= set(supply)
        assert set(judged.values()) <= {1, 2, 3}


def test_every_demand_has_a_good_match(grades, demand):
    unmatched = [d for d in demand if max(grades.get(d, {}).values(), default=0) < 2]
    assert not unmatched


def test_kinds_and_splits(labels, demand):
    assert set(labels) == set(demand)
    per_kind = defaultdict(Counter)
    for label in labels.values():
        per_kind[label["kind"]][label["split"]] += 1
    assert set(per_kind) == KINDS
    for kind, splits in per_kind.items():
        assert set(splits) <= {"dev", "test"}, kind
        assert sum(splits.values()) >= 8 and abs(splits["dev"] - splits["test"]) <= 1, (kind, splits)


def _holds(certifications: list[str], name: str) -> bool:
    for cert in certifications:
        cert_name, _, expiry = cert.partition("@")
        if cert_name.casefold() == name.casefold():
            return not expiry or date.fromisoformat(expiry) >= REFERENCE_DATE
    return False


def _matching_firms(grades, supply, demand_id, minimum=2):
    return {supply[s]["enterprise_id"] for s, g in grades[demand_id].items() if g >= minimum}


def test_certification_demands_split_qualified_and_unqualified_suppliers(labels, demand, grades, firms, supply):
    cases = [d for d, label in labels.items() if label["kind"] == "certification"]
    for demand_id in cases:
        required = demand[demand_id]["required_certifications"]
        assert required, demand_id
        qualified = [all(_holds(firms[f]["certifications"], r) for r in required)
                     for f in _matching_firms(grades, supply, demand_id)]
        assert any(qualified) and not all(qualified), demand_id


def test_local_demands_have_local_and_remote_exact_matches(labels, demand, grades, firms, supply):
    table = RegionTable.load()
    for demand_id, label in labels.items():
        if label["kind"] != "local":
            continue
        assert demand[demand_id]["prefer_local"] is True
        firms_3 = _matching_firms(grades, supply, demand_id, minimum=3)
        local = {table.is_local(table.resolve(firms[f]["region"]).code, HOME_REGION) for f in firms_3}
        assert local == {True, False}, demand_id


def test_cross_language_demands_match_items_in_the_other_language(labels, demand, grades, supply):
    for demand_id, label in labels.items():
        if not label["kind"].startswith("cross_"):
            continue
        text = demand[demand_id]["name"] + (demand[demand_id]["description"] or "")
        demand_is_zh = bool(CJK.search(text))
        assert demand_is_zh == (label["kind"] == "cross_zh_en"), demand_id
        exact = [s for s, g in grades[demand_id].items() if g == 3]
        assert any(bool(CJK.search(supply[s]["name"])) != demand_is_zh for s in exact), demand_id
