"""Text analysis and the lexicon: what the lexical index and the re-ranker read from a product line."""
from matchmaker.matching.analysis import analyse, model_codes, script
from matchmaker.matching.lexicon import Lexicon
from matchmaker.matching.profile import profile

LEXICON = Lexicon([
    {"zh": ["钕铁硼磁体", "磁钢"], "en": ["NdFeB magnet", "neodymium magnet"]},
    {"zh": ["线束"], "en": ["wire harness"]},
    {"zh": ["汽车线束", "整车线束"], "en": ["automotive wire harness"], "broader": ["线束"]},
    {"zh": ["电池包"], "en": ["battery pack", "PACK"], "ambiguous": ["PACK"]},
    {"zh": ["功率放大器"], "en": ["PA", "power amplifier"]},
])


def test_chinese_gives_bigrams_and_latin_gives_words_grams_and_codes():
    terms = analyse("IGBT模块 FF450R12ME4 3.2mm").terms
    assert {"模块", "w:igbt", "w:ff450r12me4", "w:3.2mm".replace(".", ""), "w:32", "w:mm"} <= set(terms)
    assert "模" not in terms  # characters of a longer run are not terms of their own
    assert "g:#ff" in terms
    assert model_codes("采购 FF450R12ME4 与 dsl-ra200w") == {"ff450r12me4", "dslra200w"}


def test_script_of_a_text():
    assert script("电子水泵 12V") == "zh" and script("electronic water pump 12V") == "en" and script("123") == ""


def test_synonyms_and_translations_share_a_concept_longest_term_first():
    assert LEXICON.concepts("进口磁钢") == LEXICON.concepts("ndfeb magnet n52") == ["钕铁硼磁体"]
    assert LEXICON.concepts("整车线束总成") == ["汽车线束"]
    assert LEXICON.broader(["汽车线束"]) == ["线束"]


def test_latin_terms_match_whole_words_only_and_ambiguous_terms_not_at_all():
    assert LEXICON.concepts("pa module") == ["功率放大器"]
    assert LEXICON.concepts("pack of 10") == []          # 'pa' inside 'pack'; 'pack' is ambiguous
    assert LEXICON.concepts("spa service") == []


def test_a_catalog_item_carries_its_broader_concepts_a_query_does_not():
    assert "k:线束" in profile("汽车线束总成", LEXICON).terms
    assert "k:线束" not in profile("汽车线束总成", LEXICON, document=False).terms


ABBREVIATIONS = Lexicon([
    {"zh": ["热电联供"], "en": ["CHP", "combined heat and power"]},
    {"zh": ["电池管理系统"], "en": ["BMS", "battery management system"]},
])


def test_an_abbreviation_counts_only_when_written_in_one_case():
    assert profile("CHP unit, 200 kW", ABBREVIATIONS).concepts == ("热电联供",)
    assert profile("chp unit", ABBREVIATIONS).concepts == ("热电联供",)
    assert profile("sliced per ChP 2020", ABBREVIATIONS).concepts == ()       # the Chinese Pharmacopoeia
    assert profile("Bms for 48V packs", ABBREVIATIONS).concepts == ()
    assert profile("ＢＭＳ 主控板", ABBREVIATIONS).concepts == ("电池管理系统",)   # full-width capitals
    assert ABBREVIATIONS.concepts("chp unit") == ["热电联供"]                    # no case given: as before
