"""The chains' taxonomy: read from seeds/chains.yaml and flattened for the graph."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..config import PROJECT_DIR

CHAINS_FILE = PROJECT_DIR / "seeds" / "chains.yaml"
STAGES = ("upstream", "midstream", "downstream")


class TaxonomyError(ValueError):
    """seeds/chains.yaml is malformed; the message names the place."""


@dataclass
class Taxonomy:
    chains: list[dict] = field(default_factory=list)
    segments: list[dict] = field(default_factory=list)
    categories: list[dict] = field(default_factory=list)
    feeds: list[dict] = field(default_factory=list)


def read_taxonomy(path: Path = CHAINS_FILE) -> Taxonomy:
    """Parse and check the taxonomy file into rows for graph.chains.load_taxonomy."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise TaxonomyError(f"cannot read {path}: {exc}") from None
    taxonomy = Taxonomy()
    for position, chain in enumerate(document.get("chains") or []):
        _add_chain(taxonomy, chain, position)
    _check_feeds(taxonomy)
    return taxonomy


def _add_chain(taxonomy: Taxonomy, chain: dict, position: int) -> None:
    chain_id = _required(chain, "id", f"chain #{position + 1}")
    taxonomy.chains.append({
        "id": chain_id, "name_zh": _required(chain, "name_zh", chain_id),
        "name_en": _required(chain, "name_en", chain_id),
        "aliases": [str(a) for a in chain.get("aliases") or []],
        "localization_target": chain.get("localization_target"), "position": position,
    })
    for seg_position, segment in enumerate(chain.get("segments") or []):
        stage = segment.get("stage")
        if stage not in STAGES:
            raise TaxonomyError(f"chain {chain_id}: segment stage {stage!r} is not one of {STAGES}")
        segment_id = f"{chain_id}.{stage}"
        taxonomy.segments.append({
            "id": segment_id, "chain_id": chain_id, "stage": stage, "position": seg_position,
            "name_zh": _required(segment, "name_zh", segment_id),
            "name_en": _required(segment, "name_en", segment_id)})
        for cat_position, category in enumerate(segment.get("categories") or []):
            category_id = _required(category, "id", segment_id)
            taxonomy.categories.append({
                "id": category_id, "segment_id": segment_id, "chain_id": chain_id, "stage": stage,
                "name_zh": _required(category, "name_zh", category_id),
                "name_en": _required(category, "name_en", category_id),
                "keywords": [str(k) for k in category.get("keywords") or []],
                "position": seg_position * 1000 + cat_position})
    for source, target in chain.get("feeds") or []:
        taxonomy.feeds.append({"source": source, "target": target})


def _required(mapping: dict, key: str, where: str) -> str:
    value = mapping.get(key)
    if not value:
        raise TaxonomyError(f"{where}: '{key}' is missing")
    return str(value)


def _check_feeds(taxonomy: Taxonomy) -> None:
    known = {c["id"] for c in taxonomy.categories}
    if len(known) != len(taxonomy.categories):
        raise TaxonomyError("category ids are not unique")
    for feed in taxonomy.feeds:
        for end in ("source", "target"):
            if feed[end] not in known:
                raise TaxonomyError(f"feeds: unknown category {feed[end]!r}")
