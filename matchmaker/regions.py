"""GB/T 2260 administrative regions: lookup, free-form resolution, containment.

The national table (provinces, prefecture-level cities, counties/districts) is
vendored in ``seeds/regions/regions.csv`` (see ``seeds/regions/ATTRIBUTION.md``).
Municipalities (北京, 天津, 上海, 重庆) are province-level units whose districts
hang directly below them (500120 璧山区 -> 500000 重庆市); county-level units
directly administered by a province (仙桃市, 济源市 ...) hang below the province.

Typical use::

    table = RegionTable.load()
    region = resolve_region(table, "成都市双流区")      # Region(code="510116", ...)
    table.is_within(region.code, "510100")              # True: it is local to Chengdu

Free-form resolution understands codes, full or partial Chinese names with or
without type suffixes (``四川省成都市郫都区``, ``成都双流``, ``璧山区``) and
pinyin English (``Shuangliu District, Chengdu``). A name shared by several
units (朝阳区, 鼓楼区) resolves only when a parent in the text disambiguates it.
Tie-breaks: exact names beat short forms (吉林市 is the city); a short form
naming nested units means the larger one (吉林 -> 吉林省) and one shared by a
province and lesser units means the province (海南 -> 海南省). In English a bare
name means the prefecture-level city, as in the table's own ``name_en``
("Chaoyang" -> 朝阳市, "Chaoyang District, Beijing" -> 110105).
Standard library only.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Callable, Iterator, Sequence

__all__ = ["Region", "RegionTable", "RegionNotFound", "resolve_region", "LEVELS", "DEFAULT_PATH"]

LEVELS = ("province", "city", "county")
DEFAULT_PATH = Path(__file__).resolve().parents[1] / "seeds" / "regions" / "regions.csv"

# Chinese -------------------------------------------------------------------
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_NON_CJK = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_COUNTRY_PREFIXES = ("中华人民共和国", "中国")
# Type characters that may follow a short form ("双流县" for 双流区, "四川省").
_SOFT_SUFFIXES = {"province": ("省", "市"), "city": ("市", "州", "地区", "盟"), "county": ("区", "县", "市", "旗")}
# Development zones are not GB/T 2260 units: "成都高新区" resolves to 成都市.
_ZONE_SUFFIXES = ("新区", "开发区", "园区", "工业园", "产业园", "保税区", "自贸区", "示范区", "试验区")
# Former names still common in addresses, and the 2021 renames that the vendored
# (2020) table predates; they map to the unit's code in that table.
_ZH_ALIASES = {"郫县": "510117", "会理市": "513425", "横州市": "450127"}

# English -------------------------------------------------------------------
_TYPE_WORDS = frozenset(
    "province municipality autonomous region special administrative sar prefecture league "
    "city county district banner forestry mining new area islands".split()
)
_DROP_WORDS = frozenset("china prc the of peoples republic".split())
# Ethnic adjectives written before "Autonomous" ("Ganzi Tibetan Autonomous Prefecture").
_ETHNIC_WORDS = frozenset(
    "tibetan yi qiang hui miao tujia zhuang uygur uyghur uighur mongol mongolian korean dai jingpo "
    "bai hani lisu naxi buyei bouyei buyi dong li yao she lahu wa blang bulang salar sala tu bonan "
    "baoan dongxiang kazak kazakh hasake kirgiz kyrgyz xibe xibo tajik manchu man mulao mulam maonan "
    "gelao derung dulong nu pumi yugur daur evenki ewenki oroqen ethnic various nationalities and".split()
)
_EN_ALIASES = {
    "neimenggu": "150000", "neimeng": "150000", "xizang": "540000", "xianggang": "810000",
    "aomen": "820000", "macau": "820000", "neimongol": "150000",
}
_WORD = re.compile(r"[a-z]+")

_SAMPLES = (
    "a GB/T 2260 code (e.g. 510116) or a name such as 四川省成都市双流区, 成都市双流区 "
    "or 'Shuangliu District, Chengdu'"
)
_MAX_INPUT = 160  # characters; longer text is an address, not a region


@dataclass(frozen=True)
class Region:
    """One administrative unit of the GB/T 2260 table."""

    code: str  # six digits, e.g. "510116"
    name: str  # official name, e.g. "双流区"
    level: str  # "province" | "city" | "county"
    parent: str | None  # code of the parent unit; None for provinces
    name_en: str  # pinyin-based English, e.g. "Shuangliu District"
    short: str  # name without its type suffix, e.g. "双流"


class RegionNotFound(ValueError):
    """Raised by :func:`resolve_region` for unknown or ambiguous region text."""

    def __init__(self, message: str, text: object = None, candidates: Sequence[Region] = ()) -> None:
        super().__init__(message)
        self.text = text
        self.candidates = list(candidates)


def _fold(text: str) -> str:
    """NFKC (full-width -> half-width), ü -> v as in pinyin input, drop other accents, lower-case."""
    text = unicodedata.normalize("NFKC", text).replace("ü", "v").replace("Ü", "V")
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def _en_tokens(text: str) -> list[tuple[str, frozenset[str]]]:
    """Split English text into name words, each with the type words following it.

    ``"Ganzi Tibetan Autonomous Prefecture"`` -> ``[("ganzi", {"autonomous", "prefecture"})]``:
    apostrophes vanish (Xi'an -> xian), ``ü`` is written ``v``, and the ethnic
    adjectives in front of "Autonomous" are dropped.
    """
    words = _WORD.findall(re.sub(r"['’`´]", "", _fold(text)))
    out: list[tuple[str, set[str]]] = []
    for word in words:
        if word in _DROP_WORDS:
            continue
        if word in _TYPE_WORDS:
            if word == "autonomous":  # "Ganzi Tibetan Autonomous": drop ethnic words
                while len(out) > 1 and not out[-1][1] and out[-1][0] in _ETHNIC_WORDS:
                    out.pop()
            if out:
                out[-1][1].add(word)
            continue
        out.append((word, set()))
    return [(word, frozenset(types)) for word, types in out]


class RegionTable:
    """The region tree with indexes for fast lookup and free-form resolution."""

    def __init__(self, regions: Sequence[Region]) -> None:
        self._by_code: dict[str, Region] = {r.code: r for r in sorted(regions, key=lambda r: r.code)}
        self._chain: dict[str, tuple[str, ...]] = {}
        for code in self._by_code:
            chain: list[str] = []
            cur: str | None = code
            while cur is not None and cur in self._by_code and cur not in chain:
                chain.append(cur)
                cur = self._by_code[cur].parent
            self._chain[code] = tuple(chain)
        self._zh: dict[str, dict[str, int]] = {}  # key -> {code: penalty}
        self._en: dict[str, dict[str, int]] = {}
        self._en_types: dict[str, frozenset[str]] = {}
        self._en_bare: set[str] = set()  # codes whose English name has no type word
        for r in self._by_code.values():
            self._index_zh(r)
            self._index_en(r)
        for key, code in _ZH_ALIASES.items():
            if code in self._by_code:
                self._add(self._zh, key, code, 1)
        for key, code in _EN_ALIASES.items():
            if code in self._by_code:
                self._add(self._en, key, code, 0)
        self._zh_span = max(map(len, self._zh))
        self._en_span = 4

    # -- construction -----------------------------------------------------
    @classmethod
    def load(cls, path: Path | None = None) -> RegionTable:
        """Load a regions CSV; the default vendored table is loaded once per process."""
        if path is None:
            return _load_default()
        return cls(_read_csv(Path(path)))

    @staticmethod
    def _add(index: dict[str, dict[str, int]], key: str, code: str, penalty: int) -> None:
        slot = index.setdefault(key, {})
        slot[code] = min(penalty, slot.get(code, penalty))

    def _index_zh(self, r: Region) -> None:
        self._add(self._zh, r.name, r.code, 0)
        if r.short != r.name:
            self._add(self._zh, r.short, r.code, 1)
        for suffix in _SOFT_SUFFIXES[r.level]:
            if r.short + suffix != r.name:
                self._add(self._zh, r.short + suffix, r.code, 2)

    def _index_en(self, r: Region) -> None:
        tokens = _en_tokens(r.name_en)
        key = "".join(word for word, _ in tokens)
        self._add(self._en, key, r.code, 0)
        if "v" in key:  # Lüliang is also written Luliang
            self._add(self._en, key.replace("v", "u"), r.code, 1)
        types = set().union(*(t for _, t in tokens)) if tokens else set()
        if not types:
            self._en_bare.add(r.code)
        if r.level == "city" and not types or "municipality" in types:
            types.add("city")
        self._en_types[r.code] = frozenset(types)

    # -- basic access ------------------------------------------------------
    def get(self, code: str) -> Region | None:
        """The region with this six-digit code, or None."""
        return self._by_code.get(str(code).strip()) if code is not None else None

    def rows(self) -> list[Region]:
        """All regions in code order (for bulk loading into the graph)."""
        return list(self._by_code.values())

    def __iter__(self) -> Iterator[Region]:
        return iter(self._by_code.values())

    def __len__(self) -> int:
        return len(self._by_code)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def ancestors(self, code: str) -> list[Region]:
        """The region itself first, then its parent, ... up to the province ([] if unknown)."""
        return [self._by_code[c] for c in self._chain.get(code, ())]

    def is_within(self, code: str, ancestor_code: str) -> bool:
        """True if ``code`` is ``ancestor_code`` or lies below it."""
        return ancestor_code in self._chain.get(code, ())

    def is_local(self, code: str | None, home_code: str) -> bool:
        """True if a region (possibly None/unknown -> False) lies within the home region."""
        return code is not None and self.is_within(code, home_code)

    def full_name(self, code: str) -> str:
        """Official names from the province down, e.g. 四川省成都市双流区 ('' if unknown)."""
        return "".join(r.name for r in reversed(self.ancestors(code)))

    # -- free-form resolution ---------------------------------------------
    def resolve(self, text: str | None) -> Region | None:
        """The most specific unit named by free-form text; None if unknown or ambiguous."""
        found = self.candidates(text)
        return found[0] if len(found) == 1 else None

    def candidates(self, text: str | None) -> list[Region]:
        """Best interpretations of free-form text: one region, several (ambiguous) or none."""
        if text is None:
            return []
        raw = unicodedata.normalize("NFKC", str(text)).strip()
        if not raw or len(raw) > _MAX_INPUT:
            return []
        compact = re.sub(r"\s+", "", raw)
        if compact.isdigit():
            region = self.get(compact)
            return [region] if region else []
        if _CJK.search(raw):
            return self._pick(self._parse_zh(raw))
        return self._pick(self._parse_en(raw))

    def _parse_zh(self, text: str) -> dict[str, tuple[int, int]]:
        s = _NON_CJK.sub("", text)
        for prefix in _COUNTRY_PREFIXES:
            if s.startswith(prefix) and len(s) > len(prefix):
                s = s[len(prefix):]
                break
        index, span = self._zh, self._zh_span

        def lookup(i: int, j: int) -> dict[str, int]:
            return index.get(s[i:j], {})

        def zone_rest(i: int) -> bool:
            rest = s[i:]
            return len(rest) <= 12 and rest.endswith(_ZONE_SUFFIXES)

        return self._search(len(s), span, lookup, zone_rest)

    def _parse_en(self, text: str) -> dict[str, tuple[int, int]]:
        tokens = _en_tokens(text)
        index, types, bare = self._en, self._en_types, self._en_bare

        def lookup(i: int, j: int) -> dict[str, int]:
            found = index.get("".join(word for word, _ in tokens[i:j]), {})
            if not found:
                return found
            wanted = tokens[j - 1][1] - {"autonomous", "special", "administrative", "new"}
            if wanted:  # a type word after the name ("Chaoyang District") prefers that type
                return {code: pen + (0 if wanted & types[code] else 1) for code, pen in found.items()}
            # a bare name ("Chaoyang", "Xi'an") prefers the prefecture-level city of that name
            return {code: pen + (0 if code in bare else 1) for code, pen in found.items()}

        return self._search(len(tokens), self._en_span, lookup, lambda i: False)

    def _search(
        self,
        n: int,
        span: int,
        lookup: Callable[[int, int], dict[str, int]],
        zone_rest: Callable[[int], bool],
    ) -> dict[str, tuple[int, int]]:
        """Every segmentation of n units into indexed names that forms one chain.

        Each segment must be an ancestor or descendant of the deepest unit matched
        so far, in any order. Returns {deepest code: best (penalty, segments)}.
        Memoised on (position, deepest unit so far), so it stays linear-ish even
        on pathological input such as a name repeated many times.
        """
        chain = self._chain
        memo: dict[tuple[int, str | None], dict[str, tuple[int, int]]] = {}

        def rest(i: int, bottom: str | None) -> dict[str, tuple[int, int]]:
            """Best completions from unit i: {final deepest code: (penalty, segments)}."""
            key = (i, bottom)
            if key in memo:
                return memo[key]
            out: dict[str, tuple[int, int]] = {}

            def offer(code: str, score: tuple[int, int]) -> None:
                if code not in out or score < out[code]:
                    out[code] = score

            if i == n:
                if bottom is not None:
                    offer(bottom, (0, 0))
            else:
                if bottom is not None and zone_rest(i):
                    offer(bottom, (3, 1))
                for j in range(min(n, i + span), i, -1):
                    for code, pen in lookup(i, j).items():
                        if bottom is None or bottom in chain[code]:
                            nxt = code
                        elif code in chain[bottom]:
                            nxt = bottom
                        else:
                            continue
                        for final, (p, segs) in rest(j, nxt).items():
                            offer(final, (p + pen, segs + 1))
            memo[key] = out
            return out

        return rest(0, None) if n else {}

    def _pick(self, found: dict[str, tuple[int, int]]) -> list[Region]:
        """Keep the best-scoring interpretations, breaking the obvious ties."""
        if not found:
            return []
        top = min(found.values())
        codes = sorted(code for code, score in found.items() if score == top)
        if len(codes) > 1:
            # Nested candidates (吉林 = 吉林省 or 吉林市): keep the least specific, always true.
            shallowest = min(codes, key=lambda c: len(self._chain[c]))
            if all(shallowest in self._chain[c] for c in codes):
                codes = [shallowest]
            else:
                # A bare name shared by a province and lesser units (海南) means the province.
                provinces = [c for c in codes if self._by_code[c].level == "province"]
                if len(provinces) == 1:
                    codes = provinces
        return [self._by_code[c] for c in codes]


def _read_csv(path: Path) -> list[Region]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            Region(
                code=row["code"],
                name=row["name"],
                level=row["level"],
                parent=row["parent"] or None,
                name_en=row["name_en"],
                short=row["short"],
            )
            for row in csv.DictReader(fh)
        ]


@functools.lru_cache(maxsize=1)
def _load_default() -> RegionTable:
    return RegionTable(_read_csv(DEFAULT_PATH))


def resolve_region(table: RegionTable, text: str | None) -> Region:
    """Resolve free-form region text or raise :class:`RegionNotFound` saying what to write."""
    shown = "" if text is None else str(text).strip()
    if not shown:
        raise RegionNotFound(f"missing region: write {_SAMPLES}", text)
    found = table.candidates(shown)
    if len(found) == 1:
        return found[0]
    if found:
        names = ", ".join(table.full_name(r.code) for r in found)
        raise RegionNotFound(
            f"ambiguous region '{shown}': {names} — add the city or province "
            f"(e.g. {table.full_name(found[0].code)}) or write the code",
            text,
            found,
        )
    raise RegionNotFound(f"unknown region '{shown}': write {_SAMPLES}", text)
