"""The category classifier (matchmaker.matching.categorize) on a small hand-made taxonomy and on the real one."""
from __future__ import annotations

import pytest

from matchmaker.matching.categorize import MIN_CONFIDENCE, Categorizer
from matchmaker.services.classify import CategoryClassifier
from matchmaker.services.taxonomy import read_taxonomy

# A Chinese-only category: neither its names nor its keywords have a word of English.
MAGNETS = {"id": "x.magnets", "chain_id": "x", "name_zh": "稀土永磁材料", "name_en": "", "keywords": ["磁钢", "烧结"]}
HARNESS = {"id": "x.harness", "chain_id": "x", "name_zh": "线束", "name_en": "Wire harnesses", "keywords": ["连接器"]}
CELLS = {"id": "y.cells", "chain_id": "y", "name_zh": "电芯", "name_en": "Battery cells", "keywords": ["磷酸铁锂"]}
GROUPS = [{"zh": ["钕铁硼磁体", "磁钢"], "en": ["NdFeB magnet", "neodymium magnet"], "chains": ["x"]},
          {"zh": ["线束"], "en": ["wiring harness", "cable harness"], "chains": ["x"]}]


@pytest.fixture(scope="module")
def small():
    return Categorizer([MAGNETS, HARNESS, CELLS], lexicon_groups=GROUPS)


@pytest.fixture(scope="module")
def real():
    return Categorizer(read_taxonomy().categories)


def test_an_english_text_finds_a_chinese_only_category_through_the_lexicon(small):
    ranked = small.rank("Sintered neodymium magnet, grade N52, for servo motors")
    assert ranked[0].category_id == "x.magnets"
    assert Categorizer([MAGNETS, HARNESS, CELLS], lexicon_groups=[]).rank("neodymium magnet N52") == []


def test_english_names_carry_english_texts(small):
    assert small.rank("battery cells for storage")[0].category_id == "y.cells"


def test_confidences_are_ordered_bounded_and_sum_to_at_most_one(small, real):
    for model, text in ((small, "线束 连接器 cable harness"), (real, "扁线电机定子 hairpin stator 800V"),
                        (real, "IGBT module for traction inverter")):
        ranked = model.rank(text)
        confidences = [p.confidence for p in ranked]
        assert ranked and confidences == sorted(confidences, reverse=True)
        assert all(0 < c <= 1 for c in confidences) and sum(confidences) <= 1.0


def test_more_evidence_means_more_confidence(real):
    vague = real.rank("电机")[0]
    clear = real.rank("扁线驱动电机 永磁同步电机 hairpin stator traction motor")[0]
    assert clear.category_id == "nev.drive-motor"
    assert clear.confidence > vague.confidence


@pytest.mark.parametrize("text", ["", "   ", "！？。", "zzqx qqzz"])
def test_an_empty_or_unknown_text_gets_no_category(small, text):
    assert small.rank(text) == []
    assert CategoryClassifier([MAGNETS, HARNESS, CELLS]).propose(text) is None


def test_a_chain_restricts_the_ranking(small):
    assert {p.category_id for p in small.rank("线束 电芯", chain_id="y")} == {"y.cells"}


def test_reviewed_texts_are_evidence_for_their_category(small):
    text = "汽车座椅骨架焊接总成"
    assert not small.rank(text) or small.rank(text)[0].category_id != "x.harness"
    taught = Categorizer([MAGNETS, HARNESS, CELLS], lexicon_groups=GROUPS,
                         examples={"x.harness": ["座椅骨架焊接总成 供货"]})
    assert taught.rank(text)[0].category_id == "x.harness"


def test_the_classifier_facade_keeps_its_api(real):
    classifier = CategoryClassifier(read_taxonomy().categories)
    assert classifier.propose("NdFeB magnet for EV traction motors") is not None
    ranked = classifier.rank("点火线圈 ignition coil", limit=2)
    assert ranked[0][0] == "nev.electrical-parts" and len(ranked) <= 2
    top3 = classifier.suggest("点火线圈 ignition coil", chain_id="nev")
    assert 1 <= len(top3) <= 3 and top3[0].confidence >= MIN_CONFIDENCE
