"""A list search reaches items written in the other language through the trade-term lexicon."""
from __future__ import annotations

from matchmaker.matching.lexicon import Lexicon

LEXICON = Lexicon([
    {"zh": ["点火线圈"], "en": ["ignition coil"]},
    {"zh": ["钕铁硼磁体", "磁钢"], "en": ["NdFeB magnet"]},
    {"zh": ["IGBT模块", "功率模块"], "en": ["IGBT module", "power module"]},
    {"zh": ["摄像头模组"], "en": ["camera module"]},
    {"zh": ["电池模组"], "en": ["battery module"]},
    {"zh": ["通信模块"], "en": ["communication module"]},
])


def test_an_english_word_reaches_the_chinese_term_and_back():
    assert LEXICON.alternatives("ignition") == ["点火线圈", "ignition coil"]
    assert LEXICON.alternatives("点火") == ["点火线圈", "ignition coil"]
    assert "ndfeb magnet" in LEXICON.alternatives("磁钢")


def test_a_word_in_many_groups_is_too_general_to_widen_a_search():
    assert LEXICON.alternatives("module") == []
    assert LEXICON.alternatives("ab") == []  # too short to stand for a product


def test_words_that_make_a_term_together_stay_one_search_word():
    assert LEXICON.search_words("Ignition Coil 12V") == [["ignition coil", "点火线圈"], ["12v"]]
    assert LEXICON.search_words("a b c d e f") == [["a"], ["b"], ["c"], ["d"], ["e"]]  # five words at most
