"""Lenient matching of chain names: `汽车`, `汽车（新能源汽车）`, `NEV` -> a chain id."""
from __future__ import annotations

import re
import unicodedata

_NOISE = re.compile(r"[\s()（）\[\]【】<>《》\"'“”‘’·•,，、/\\\-_]+")
_SUFFIXES = ("产业链", "产业", "行业", "industry chain", "industry", "chain")


def normalize(name: str) -> str:
    text = unicodedata.normalize("NFKC", name or "").lower().strip()
    for suffix in _SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
    return _NOISE.sub("", text)


class ChainNames:
    """Resolves chain ids, names and aliases to chain ids."""

    def __init__(self, chains: list[dict]):
        self._index: dict[str, str] = {}
        for chain in chains:
            names = [chain["id"], chain.get("name_zh"), chain.get("name_en"), *(chain.get("aliases") or [])]
            for name in names:
                if name:
                    self._index.setdefault(normalize(name), chain["id"])

    def resolve(self, name: str) -> str | None:
        """The chain id for a name, or None; `汽车（新能源汽车）` tries the whole and each part."""
        key = normalize(name)
        if key in self._index:
            return self._index[key]
        for part in re.split(r"[()（）/、,，;；]", name or ""):
            found = self._index.get(normalize(part))
            if found:
                return found
        return None

    def resolve_many(self, names: list[str]) -> tuple[list[str], list[str]]:
        """(chain ids found, names that matched nothing), order kept, no duplicates."""
        found, unknown = [], []
        for name in names:
            chain_id = self.resolve(name)
            if chain_id is None:
                unknown.append(name)
            elif chain_id not in found:
                found.append(chain_id)
        return found, unknown
