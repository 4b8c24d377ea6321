"""The GB/T 2260 region table and free-form region resolution (matchmaker.regions)."""
from __future__ import annotations

import csv
import time
from collections import Counter

import pytest

from matchmaker.regions import DEFAULT_PATH, Region, RegionNotFound, RegionTable, resolve_region


@pytest.fixture(scope="module")
def table() -> RegionTable:
    return RegionTable.load()


# -- the data ----------------------------------------------------------------

def test_whole_national_table_is_loaded(table):
    assert len(table) > 2800
    levels = Counter(r.level for r in table)
    assert set(levels) == {"province", "city", "county"}
    assert levels["province"] == 34
    assert levels["city"] > 300
    assert levels["county"] > 2800


def test_every_parent_exists_and_is_one_level_up_or_more(table):
    depth = {"province": 0, "city": 1, "county": 2}
    for region in table:
        assert len(region.code) == 6 and region.code.isdigit()
        if region.level == "province":
            assert region.parent is None
            continue
        parent = table.get(region.parent)
        assert parent is not None, region
        assert depth[parent.level] < depth[region.level], region


def test_codes_are_unique_and_rows_in_code_order(table):
    codes = [r.code for r in table.rows()]
    assert codes == sorted(set(codes))
    assert list(table) == table.rows()


def test_csv_columns():
    with DEFAULT_PATH.open(encoding="utf-8", newline="") as fh:
        assert csv.DictReader(fh).fieldnames == ["code", "name", "level", "parent", "name_en", "short"]


@pytest.mark.parametrize(
    "code, name, level, parent, name_en, short",
    [
        ("510000", "四川省", "province", None, "Sichuan Province", "四川"),
        ("510100", "成都市", "city", "510000", "Chengdu", "成都"),
        ("510116", "双流区", "county", "510100", "Shuangliu District", "双流"),
        ("510117", "郫都区", "county", "510100", "Pidu District", "郫都"),
        ("510118", "新津区", "county", "510100", "Xinjin District", "新津"),
        ("500000", "重庆市", "province", None, "Chongqing Municipality", "重庆"),
        ("500120", "璧山区", "county", "500000", "Bishan District", "璧山"),
        ("320904", "大丰区", "county", "320900", "Dafeng District", "大丰"),
        ("430211", "天元区", "county", "430200", "Tianyuan District", "天元"),
        ("513300", "甘孜藏族自治州", "city", "510000", "Ganzi Prefecture", "甘孜"),
        ("429004", "仙桃市", "county", "420000", "Xiantao City", "仙桃"),
        ("500233", "忠县", "county", "500000", "Zhong County", "忠县"),
    ],
)
def test_known_rows(table, code, name, level, parent, name_en, short):
    assert table.get(code) == Region(code, name, level, parent, name_en, short)


def test_get_unknown(table):
    assert table.get("999999") is None
    assert table.get("") is None


def test_default_load_is_cached_and_explicit_path_works():
    assert RegionTable.load() is RegionTable.load()
    explicit = RegionTable.load(DEFAULT_PATH)
    assert explicit is not RegionTable.load()
    assert len(explicit) == len(RegionTable.load())


def test_load_small_custom_table(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(
        "code,name,level,parent,name_en,short\n"
        "510000,四川省,province,,Sichuan Province,四川\n"
        "510100,成都市,city,510000,Chengdu,成都\n",
        encoding="utf-8",
    )
    small = RegionTable.load(path)
    assert len(small) == 2
    assert small.resolve("四川成都").code == "510100"


# -- tree queries ----------------------------------------------------------------

def test_ancestors_order(table):
    assert [r.code for r in table.ancestors("510116")] == ["510116", "510100", "510000"]
    assert [r.code for r in table.ancestors("500120")] == ["500120", "500000"]
    assert [r.code for r in table.ancestors("510000")] == ["510000"]
    assert table.ancestors("999999") == []


def test_is_within(table):
    assert table.is_within("510116", "510100")
    assert table.is_within("510116", "510000")
    assert table.is_within("510116", "510116")
    assert table.is_within("510100", "510100")
    assert not table.is_within("510116", "500000")
    assert not table.is_within("510100", "510116")
    assert not table.is_within("500120", "510100")
    assert not table.is_within("999999", "510100")


def test_is_local(table):
    assert table.is_local("510117", "510100")
    assert not table.is_local("320904", "510100")
    assert not table.is_local(None, "510100")


def test_full_name(table):
    assert table.full_name("510116") == "四川省成都市双流区"
    assert table.full_name("500120") == "重庆市璧山区"
    assert table.full_name("510000") == "四川省"
    assert table.full_name("999999") == ""


# -- free-form resolution --------------------------------------------------------

@pytest.mark.parametrize(
    "text, code",
    [
        ("510116", "510116"),
        (" 510116 ", "510116"),
        ("四川省成都市郫都区", "510117"),
        ("成都市双流区", "510116"),
        ("双流区", "510116"),
        ("新津区", "510118"),
        ("重庆市璧山区", "500120"),
        ("璧山区", "500120"),
        ("江苏省盐城市大丰区", "320904"),
        ("盐城市大丰区", "320904"),
        ("湖南省株洲市天元区", "430211"),
        ("成都双流", "510116"),
        ("四川成都", "510100"),
        ("成都市", "510100"),
        ("成都", "510100"),
        ("四川省", "510000"),
        ("上海市", "310000"),
        ("上海", "310000"),
        ("中国四川省成都市双流区", "510116"),
        ("双流县", "510116"),  # former county name + the short form
        ("郫县", "510117"),
        ("甘孜州", "513300"),
        ("湖北仙桃市", "429004"),
        ("重庆忠县", "500233"),
        ("成都高新区", "510100"),  # a development zone lies within its city
    ],
)
def test_resolve_chinese(table, text, code):
    assert table.resolve(text).code == code


@pytest.mark.parametrize(
    "text",
    [
        "  成都市　双流区 ",
        "成都市，双流区。",
        "成都市 双流区",
        "（成都市）双流区",
        "ＳＨＵＡＮＧＬＩＵ　ＤＩＳＴＲＩＣＴ，ＣＨＥＮＧＤＵ",
    ],
)
def test_resolve_trims_full_and_half_width_spaces_and_punctuation(table, text):
    assert table.resolve(text).code == "510116"


@pytest.mark.parametrize(
    "text, code",
    [
        ("Shuangliu District, Chengdu", "510116"),
        ("shuangliu district chengdu", "510116"),
        ("SHUANGLIU DISTRICT, CHENGDU", "510116"),
        ("Shuangliu, Chengdu", "510116"),
        ("Chengdu", "510100"),
        ("Chengdu City", "510100"),
        ("Pidu District, Chengdu, Sichuan", "510117"),
        ("Pidu District Chengdu Sichuan", "510117"),
        ("Sichuan Chengdu Shuangliu", "510116"),
        ("Chongqing", "500000"),
        ("Bishan District, Chongqing", "500120"),
        ("Sichuan", "510000"),
        ("Sichuan Province", "510000"),
        ("Shanghai", "310000"),
        ("Ganzi Tibetan Autonomous Prefecture", "513300"),
        ("Inner Mongolia", "150000"),
        ("Chaoyang District, Beijing", "110105"),
        ("Dafeng District, Yancheng, Jiangsu", "320904"),
        ("Xi'an, Shaanxi", "610100"),
    ],
)
def test_resolve_english(table, text, code):
    assert table.resolve(text).code == code


@pytest.mark.parametrize("text", ["朝阳区", "鼓楼区", "朝阳", "Gulou District"])
def test_ambiguous_names_do_not_resolve(table, text):
    assert table.resolve(text) is None
    assert len(table.candidates(text)) > 1


@pytest.mark.parametrize(
    "text, code",
    [
        ("北京市朝阳区", "110105"),
        ("北京朝阳区", "110105"),
        ("长春市朝阳区", "220104"),
        ("吉林省长春市朝阳区", "220104"),
        ("南京市鼓楼区", "320106"),
        ("福州鼓楼", "350102"),
        ("Gulou District, Fuzhou", "350102"),
    ],
)
def test_parent_disambiguates(table, text, code):
    assert table.resolve(text).code == code


def test_parent_must_contain_the_unit(table):
    assert table.resolve("江苏省朝阳区") is None
    assert table.resolve("四川省璧山区") is None


@pytest.mark.parametrize("text", ["", "   ", None, "火星市", "999999", "5101", "abc", "Mars", "成都市火星区"])
def test_bad_input(table, text):
    assert table.resolve(text) is None


def test_resolve_region_returns_region(table):
    assert resolve_region(table, "成都市双流区").code == "510116"


def test_resolve_region_ambiguous_message_lists_full_names(table):
    with pytest.raises(RegionNotFound) as info:
        resolve_region(table, "鼓楼区")
    message = str(info.value)
    assert "ambiguous region '鼓楼区'" in message
    assert "江苏省南京市鼓楼区" in message and "福建省福州市鼓楼区" in message
    assert "add the city" in message
    assert {r.code for r in info.value.candidates} >= {"320106", "350102"}


@pytest.mark.parametrize("text", ["火星市", "", None])
def test_resolve_region_unknown_message_says_what_to_write(table, text):
    with pytest.raises(RegionNotFound) as info:
        resolve_region(table, text)
    message = str(info.value)
    assert "510116" in message and "四川省成都市双流区" in message
    if text:
        assert text in message
    assert isinstance(info.value, ValueError)


def test_every_full_name_resolves_to_its_unit(table):
    for region in table:
        assert table.resolve(table.full_name(region.code)) == region


def test_every_english_chain_resolves_to_its_unit(table):
    for region in table:
        text = ", ".join(r.name_en for r in table.ancestors(region.code))
        assert table.resolve(text) == region, text


def test_resolve_is_fast(table):
    texts = ["四川省成都市郫都区", "Pidu District, Chengdu, Sichuan", "鼓楼区", "510116", "火星市"]
    start = time.perf_counter()
    rounds = 200
    for _ in range(rounds):
        for text in texts:
            table.resolve(text)
    per_call = (time.perf_counter() - start) / (rounds * len(texts))
    assert per_call < 0.001


def test_pathological_input_stays_fast(table):
    start = time.perf_counter()
    table.candidates("朝阳" * 40)
    table.candidates("Chaoyang " * 17)
    assert time.perf_counter() - start < 0.5
