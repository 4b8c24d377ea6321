"""The list index's columns and its bytes search, over in-memory sources (no graph)."""
from __future__ import annotations

import numpy as np
import pytest

from graph.item_search import ItemQuery
from matchmaker.index import IndexBuilder, IndexReader
from matchmaker.index.hashing import hash64
from matchmaker.index.memory_source import MemorySource
from matchmaker.lists.columns import NO_DEADLINE, NO_EXPIRY, cert_text, code, date_number, encode_rows, name_keys
from matchmaker.lists.select import parts_of, search
from matchmaker.lists.text import FEW_ROWS, rows_certified, rows_containing

TODAY = "2026-06-01"


def _item(source: MemorySource, item_id: str, **fields) -> dict:
    base = {"status": "published", "name": item_id, "search": item_id.lower(), "updated_at": "2026-01-01T00:00:00"}
    return source.write(item_id, "supply", **{**base, **fields})


@pytest.fixture
def index(tmp_path):
    """(source, builder, reader): a built index of a few items, segments of 3 rows."""
    source = MemorySource()
    _item(source, "S1", name="汽车线束总成", search="汽车线束总成 wire harness", chain_id="auto", value=5)
    _item(source, "S2", name="精密轴承", search="精密轴承 precision bearing", chain_id="auto", value=9,
          certifications=["ISO9001@2020-01-01", "IATF16949"])
    _item(source, "S3", name="点火线圈", search="点火线圈 ignition coil", chain_id="energy", local=True,
          enterprise_certifications=["iso9001@2099-12-31"], deadline="2026-07-01")
    _item(source, "S4", name="bearing housing", search="bearing housing 轴承座", chain_id=None, capacity=3)
    builder = IndexBuilder(tmp_path, source, encode_rows, kinds=("supply",), segment_rows=3)
    builder.build_full()
    return source, builder, IndexReader(tmp_path, source, refresh_ms=0, encode_rows=encode_rows)


def _ids(reader, **query) -> list[str]:
    return search(parts_of(reader.view()), ItemQuery("supply", today=TODAY, limit=100, **query))[0]


def test_coded_fields_are_stable_hashes_and_none_is_zero():
    columns = encode_rows([{"chain_id": "auto", "status": "published"}, {"chain_id": None}])
    assert columns["chain_id"].dtype == np.uint64
    assert columns["chain_id"].tolist() == [hash64("auto"), 0] and code(None) == 0
    assert columns["local"].tolist() == [-1, -1] and columns["deadline"].tolist() == [NO_DEADLINE] * 2
    assert columns["search"] == ["\n", "\n"]  # a newline ends each text: no word spans two items


def test_dates_and_certifications_encode_as_numbers():
    assert date_number("2027-03-31", 0) == 20270331
    assert date_number("soon", 7) == 7 and date_number(None, 7) == 7
    assert cert_text(["iso9001@2027-03-31", " IATF16949 "]) == f"\x1fISO9001@20270331\x1fIATF16949@{NO_EXPIRY}"


def test_name_keys_sort_as_the_names_do():
    names = ["bearing", "bear", "轴承", "汽车线束总成", "", "Zinc"]
    keys = name_keys(names).view("S24").ravel()
    assert [names[i] for i in np.argsort(keys, kind="stable")] == sorted(names)


def test_chinese_and_english_words_and_their_alternatives(index):
    _, _, reader = index
    assert set(_ids(reader, words=["轴承"])) == {"S2", "S4"}
    assert set(_ids(reader, words=["bearing"])) == {"S2", "S4"}
    assert _ids(reader, words=["线束", "harness"]) == ["S1"]                     # every word
    assert set(_ids(reader, words=[["ignition", "线束"]])) == {"S1", "S3"}        # one of its forms
    assert _ids(reader, words=["没有"]) == []
    assert _ids(reader, words=["harness\n精密"]) == []  # a match never spans two items


def test_the_bytes_scan_and_the_row_by_row_test_agree(index):
    _, _, reader = index
    segment = reader.view().segments[0]
    rows = np.arange(len(segment["search"]))
    many = np.sort(np.arange(FEW_ROWS + 1) % len(rows))  # above FEW_ROWS the mapped bytes are scanned
    for word in ("轴承", "coil", "汽车线束总成 wire", "x"):
        expected = [r for r in rows if word in segment["search"][r]]
        assert rows_containing(segment["search"], rows, word).tolist() == expected
        assert sorted(set(rows_containing(segment["search"], many, word).tolist())) == expected


def test_certifications_count_until_they_expire(index):
    _, _, reader = index
    assert set(_ids(reader, filters={"certification": " iso9001 "})) == {"S3"}  # S2's expired in 2020
    assert _ids(reader, filters={"certification": "IATF16949"}) == ["S2"]
    assert _ids(reader, filters={"certification": "ISO"}) == []  # a whole name, not a prefix
    texts = [cert_text(["A@2026-06-01"]), cert_text(["A@2026-05-31", "B"])]
    assert rows_certified(texts, "A", 20260601).tolist() == [0]


def test_filters_and_sorts_over_segments_and_the_delta(index):
    source, _, reader = index
    assert _ids(reader, filters={"chain_id": "auto"}, sort="value") == ["S2", "S1"]
    assert _ids(reader, filters={"chain_ids": ["energy", "auto"], "local": True}) == ["S3"]
    assert _ids(reader, filters={"chain_id": None}) == []
    _item(source, "S5", name="汽车线束总成 第二代", search="new", chain_id="auto", value=7)  # only in the delta
    assert reader.view().delta
    assert _ids(reader, filters={"chain_id": "auto"}, sort="value") == ["S2", "S5", "S1"]
    assert _ids(reader, sort="name") == ["S4", "S1", "S5", "S3", "S2"]  # bearing, 汽车.., 汽车.. 第二代, 点火, 精密
    assert _ids(reader, sort="deadline")[0] == "S3" and _ids(reader, sort="capacity")[0] == "S4"


def test_names_tied_on_their_key_are_settled_by_the_whole_name(tmp_path):
    source = MemorySource()
    prefix = "汽车线束总成汽车线束"  # 30 utf-8 bytes: longer than the key
    for n, tail in enumerate(["c", "a", "b", "", "d"]):
        _item(source, f"T{n}", name=prefix + tail)
    IndexBuilder(tmp_path, source, encode_rows, segment_rows=2).build_full()
    reader = IndexReader(tmp_path, source, refresh_ms=0, encode_rows=encode_rows)
    page = lambda skip, limit: search(parts_of(reader.view()), ItemQuery("supply", sort="name", skip=skip,
                                                                        limit=limit, today=TODAY))
    assert page(0, 5) == (["T3", "T1", "T2", "T0", "T4"], 5)
    assert page(1, 2)[0] == ["T1", "T2"] and page(5, 2) == ([], 5)


def test_a_second_reader_sees_a_write_on_its_next_query(index, tmp_path):
    source, builder, first = index
    second = IndexReader(tmp_path, source, refresh_ms=0, encode_rows=encode_rows)
    _item(source, "S2", name="精密轴承", search="精密轴承 改名", chain_id="auto")
    assert _ids(first, words=["改名"]) == ["S2"] and _ids(second, words=["改名"]) == ["S2"]
    assert _ids(second, words=["precision"]) == []  # the old text is overridden, not added
    builder.update()  # published: the rows leave the readers' deltas
    assert _ids(second, words=["改名"]) == ["S2"] and not second.view().delta


def test_an_unknown_filter_or_sort_is_refused(index):
    _, _, reader = index
    with pytest.raises(ValueError, match="unknown filter"):
        _ids(reader, filters={"colour": "red"})
    with pytest.raises(ValueError, match="unknown sort"):
        _ids(reader, sort="random")
