"""Deterministic synthetic enterprises and items at scale, built from the taxonomy.

The same (enterprises, items, seed) always gives the same rows. Rows are
produced batch by batch so a million items never sit in memory at once.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Iterator

from ..regions import RegionTable
from .taxonomy import Taxonomy

_BRANDS = [("精工", "Jinggong"), ("恒达", "Hengda"), ("华信", "Huaxin"), ("天府", "Tianfu"),
           ("锦程", "Jincheng"), ("蜀能", "Shuneng"), ("联创", "Lianchuang"), ("中科", "Zhongke"),
           ("瑞丰", "Ruifeng"), ("宏远", "Hongyuan"), ("九洲", "Jiuzhou"), ("新航", "Xinhang"),
           ("博奥", "Boao"), ("川能", "Chuanneng"), ("巨星", "Juxing"), ("长虹", "Changhong"),
           ("嘉陵", "Jialing"), ("卓越", "Zhuoyue"), ("领航", "Linghang"), ("智源", "Zhiyuan")]
_FORMS = [("科技有限公司", "Technology Co., Ltd."), ("精密制造有限公司", "Precision Manufacturing Co., Ltd."),
          ("股份有限公司", "Co., Ltd."), ("装备有限公司", "Equipment Co., Ltd."), ("新材料有限公司", "New Materials Co., Ltd.")]
_MODIFIERS = [("高精度", "high-precision"), ("轻量化", "lightweight"), ("耐高温", "high-temperature"),
              ("定制化", "customised"), ("智能", "smart"), ("高可靠", "high-reliability"), ("国产化", "domestic")]
_TIERS = ["none"] * 5 + ["innovative"] * 3 + ["srsn"] * 2 + ["little_giant", "champion"]
_CERTS = ["ISO9001", "IATF16949", "AS9100D", "ISO13485", "ISO14001", "ISO22163", "GJB9001C"]
_UNITS = ["件", "套", "pcs", "sets", "t"]


def _core(name_zh: str) -> str:
    """A category name without its last qualifier, for firm names: 动力电池电芯与模组 -> 动力电池电芯."""
    return name_zh.split("与")[0].split("及")[0][:8]


@dataclass(frozen=True)
class Plan:
    enterprises: int
    items: int
    seed: int

    @property
    def leaders(self) -> int:
        return max(1, self.enterprises // 20)


class Generator:
    def __init__(self, plan: Plan, taxonomy: Taxonomy, regions: RegionTable, home_region: str):
        self.plan = plan
        self.chains = [c["id"] for c in taxonomy.chains]
        self.categories_of: dict[str, list[dict]] = {c: [] for c in self.chains}
        for category in taxonomy.categories:
            self.categories_of[category["chain_id"]].append(category)
        counties = [r for r in regions.rows() if r.level == "county"]
        self.local_regions = [r.code for r in counties if regions.is_within(r.code, home_region)]
        self.other_regions = [r.code for r in counties if not regions.is_within(r.code, home_region)]
        self._local_set = frozenset(self.local_regions)
        self._regions = regions

    def _place(self, code: str):
        """The city a county lies in (its ancestors are county, city, province)."""
        chain = self._regions.ancestors(code)
        return chain[1] if len(chain) > 1 else chain[0]

    def enterprise_id(self, i: int) -> str:
        return f"G{self.plan.seed}-E{i:06d}"

    def enterprise_batches(self, size: int) -> Iterator[list[dict]]:
        for start in range(0, self.plan.enterprises, size):
            stop = min(start + size, self.plan.enterprises)
            yield [self._enterprise(i) for i in range(start, stop)]

    def item_batches(self, size: int) -> Iterator[tuple[str, list[dict]]]:
        """(kind, records) batches; about 60% supply, 40% demand."""
        for start in range(0, self.plan.items, size):
            stop = min(start + size, self.plan.items)
            batch = {"supply": [], "demand": []}
            for i in range(start, stop):
                kind, record = self._item(i)
                batch[kind].append(record)
            for kind, records in batch.items():
                if records:
                    yield kind, records

    def _rng(self, *key: object) -> random.Random:
        return random.Random(f"{self.plan.seed}:{':'.join(map(str, key))}")

    def _enterprise(self, i: int) -> dict:
        rng = self._rng("e", i)
        leader = i < self.plan.leaders
        chain = self.chains[i % len(self.chains)]
        category = rng.choice(self.categories_of[chain])
        brand, form = rng.choice(_BRANDS), rng.choice(_FORMS)
        local = rng.random() < 0.7
        region = rng.choice(self.local_regions if local else self.other_regions)
        annual = rng.randrange(200, 5000) * 1_000_000 if leader else None
        place = self._place(region)
        return {
            "id": self.enterprise_id(i), "role": "leader" if leader else "sme",
            "name": f"{place.short}{brand[0]}{_core(category['name_zh'])}{form[0]}",
            "name_en": f"{place.name_en.split(' ')[0]} {brand[1]} {category['name_en']} {form[1]}",
            "tier": "none" if leader else rng.choice(_TIERS),
            "region_code": region, "local": local, "chain_ids": [chain],
            "certifications": rng.sample(_CERTS, rng.randrange(0, 3)),
            "annual_procurement": annual,
            "local_procurement": int(annual * rng.uniform(0.2, 0.6)) if annual else None,
            "description": f"专注{category['name_zh']}研发与制造。Focused on {category['name_en'].lower()}.",
        }

    def _item(self, i: int) -> tuple[str, dict]:
        rng = self._rng("i", i)
        kind = "demand" if rng.random() < 0.4 else "supply"
        if kind == "demand":
            owner = rng.randrange(self.plan.leaders)
        else:
            owner = rng.randrange(self.plan.leaders, max(self.plan.leaders + 1, self.plan.enterprises))
        owner = min(owner, self.plan.enterprises - 1)
        chain = self.chains[owner % len(self.chains)]
        category = rng.choice(self.categories_of[chain])
        modifier = rng.choice([m for m in _MODIFIERS if m[0] not in category["name_zh"]] or _MODIFIERS)
        keywords = ", ".join(rng.sample(category["keywords"], min(3, len(category["keywords"]))))
        name = f"{modifier[0]}{category['name_zh']}"
        props = {
            "name": name, "description": f"{modifier[1]} {category['name_en'].lower()}; {keywords}",
            "unit": rng.choice(_UNITS), "status": "published", "category_id": category["id"],
            "category_proposed": False, "chain_id": chain, "segment_id": category["segment_id"],
        }
        props["search"] = f"{props['name']} {props['description']}".lower()
        if kind == "supply":
            props.update(capacity=rng.randrange(1, 500) * 100, certifications=rng.sample(_CERTS, rng.randrange(0, 2)))
        else:
            quantity, price = rng.randrange(1, 200) * 100, round(rng.uniform(5, 5000), 2)
            current = rng.choice(self.local_regions if rng.random() < 0.35 else self.other_regions)
            props.update(quantity=quantity, unit_price=price, value=round(quantity * price, 2),
                         required_certifications=rng.sample(_CERTS, rng.randrange(0, 2)),
                         prefer_local=True, deadline=f"2027-{rng.randrange(1, 13):02d}-28",
                         current_supplier_region=current,
                         current_supplier_local=current in self._local_set)
        prefix = "S" if kind == "supply" else "D"
        return kind, {"id": f"G{self.plan.seed}-{prefix}{i:07d}", "enterprise_id": self.enterprise_id(owner),
                      "props": props}
