"""Pair evidence the re-ranker reads: character 3-gram share and model codes written apart."""
import numpy as np

from matchmaker.matching.features import NAMES, CandidateEvidence, feature_matrix
from matchmaker.matching.profile import profile
from matchmaker.matching.trigrams import ITEM_CHARS, trigram_share


def _naive_share(query: str, item: str) -> float:
    grams = {query[i:i + 3] for i in range(len(query) - 2)}
    item = item[:ITEM_CHARS]
    return sum(g in item for g in grams) / len(grams) if grams else 0.0


def test_trigram_share_is_the_share_of_the_querys_distinct_3grams_in_each_item():
    query = "canon xh a1s hdv camcorder"
    items = ["canon xh a1s - 3238b001", "sony hdv tape", "", "x", "canon xh a1s hdv camcorder black",
             "液压 xh a1s", "camcorder " * 40]
    got = trigram_share(query, items)
    assert np.allclose(got, [_naive_share(query, t) for t in items])
    assert got[4] == 1.0 and got[2] == 0.0 and got[3] == 0.0


def test_no_3gram_spans_two_items_and_chinese_counts_too():
    # 'ab' ending one item and 'c' starting the next must not make 'abc'.
    assert trigram_share("abc", ["xab", "cxx"]).tolist() == [0.0, 0.0]
    assert trigram_share("电子水泵", ["汽车电子水泵 12V", "水泵"]).tolist() == [1.0, 0.0]
    assert trigram_share("ab", ["abc"]).tolist() == [0.0] and trigram_share("abc", []).tolist() == []


def test_only_the_first_item_chars_of_an_item_count():
    assert trigram_share("zzz", ["a" * ITEM_CHARS + "zzz"]).tolist() == [0.0]


def _features(query: str, items: list[str]) -> dict[str, np.ndarray]:
    profiles = [profile(t) for t in items]
    n = len(items)
    evidence = CandidateEvidence(np.zeros(n), np.zeros(n), profiles, np.zeros(n), np.zeros(n))
    matrix = feature_matrix(profile(query, document=False), evidence)
    return {name: matrix[:, i] for i, name in enumerate(NAMES)}


def test_a_code_the_item_writes_spaced_or_hyphenated_is_shared_not_a_conflict():
    f = _features("IGBT module FF450R12ME4", ["IGBT模块 FF450 R12-ME4 1200V", "IGBT模块 FF600R12ME4 1200V"])
    assert f["code_match"].tolist() == [1.0, 0.0]
    assert f["code_conflict"].tolist() == [0.0, 1.0]


def test_a_segment_written_before_the_text_column_reads_as_empty_text():
    from matchmaker.matching.columns import encode_columns
    from matchmaker.matching.engine import _read
    from matchmaker.matching.search import Found, Part

    rows = [{"id": "S1", "name": "IGBT模块", "enterprise_id": "E1"}, {"id": "S2", "name": "线束", "enterprise_id": "E2"}]
    columns = {**encode_columns(rows, None), "id": ["S1", "S2"]}   # the builder adds `id`
    old = {k: v for k, v in columns.items() if k != "text"}   # as a segment of the previous schema
    new_part, old_part = Part(columns, np.ones(2, bool), None, "new"), Part(old, np.ones(2, bool), None, "old")
    read = _read([Found(new_part, 0, 1.0, 0.0), Found(old_part, 1, 0.5, 0.0)], ("id", "text"))
    assert read == [{"id": "S1", "text": "igbt模块"}, {"id": "S2", "text": ""}]
