"""Checks of the matching engine's data assets: the trade-term lexicon
(seeds/lexicon/trade_terms.yaml) and the labelled evaluation set
(seeds/matching_eval/), read with the project's own tabular reader."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

SEEDS = Path(__file__).parents[2] / "seeds"
LEXICON = SEEDS / "lexicon" / "trade_terms.yaml"
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
