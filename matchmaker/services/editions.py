"""Editions: an official publishes a dated, immutable snapshot of a chain's supply or demand list."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from graph import chains as chain_repo
from graph import editions as edition_repo
from graph.db import GraphDB
from graph.errors import DuplicateKey
from graph.item_search import export_items

from ..errors import N_, Conflict, Invalid, NotFound
from ..tabular import write_csv, write_xlsx
from .chain_names import ChainNames
from .items import Page, to_record
from ..rules.vocab import ITEM_KINDS as KINDS
from ..timestamps import stamp
from ..rules.vocab import MANAGERS
from .permissions import Principal, require_role

PUBLISHERS = MANAGERS  # officials publish the dated lists
FORMATS = {"csv": (write_csv, "text/csv; charset=utf-8"),
           "xlsx": (write_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}
PERIOD = re.compile(r"^(\d{4})-(?:Q([1-4])|(0[1-9]|1[0-2]))$")
# Shown next to each row, never part of the DATA-FORMAT record (downloads import back unchanged).
DISPLAY_FIELDS = ("enterprise_name", "enterprise_name_en", "region_code", "local",
                  "category_name_zh", "category_name_en", "value")
_PENDING = N_("edition '%(id)s' is being published right now; editions never change: choose another period")
_PUBLISHED = N_("edition '%(id)s' was published already; editions never change: choose another period")
_NOTHING = {"supply": N_("chain '%(chain)s' has no published supply items to publish"),
            "demand": N_("chain '%(chain)s' has no published demand items to publish")}
_NOTHING_FIELD = {"supply": N_("no published supply items"), "demand": N_("no published demand items")}
STALE_AFTER = timedelta(minutes=10)  # a pending edition this old was abandoned (60,000 rows take ~30 s)
_PARTS_PER_WRITE = 10
_LIST_ZH = {"supply": "产品供给清单", "demand": "产品需求清单"}
_QUARTERS_ZH = "一二三四"
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")


@dataclass
class Download:
    filename: str       # ASCII: the edition id and extension
    title: str          # the Chinese title, for filename*
    content_type: str
    body: bytes


def current_period(today: date) -> str:
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


def period_label(period: str) -> tuple[str, str]:
    """('2026年第四季度', '2026 Q4') or ('2026年10月', 'October 2026'); Invalid when malformed."""
    match = PERIOD.match(period or "")
    if not match:
        raise Invalid("a period is a quarter or a month: 2026-Q4 or 2026-10", {"period": ["use YYYY-Qn or YYYY-MM"]})
    year, quarter, month = match.groups()
    if quarter:
        return f"{year}年第{_QUARTERS_ZH[int(quarter) - 1]}季度", f"{year} Q{quarter}"
    return f"{year}年{int(month)}月", f"{_MONTHS_EN[int(month) - 1]} {year}"


def titles(chain: dict, kind: str, period: str) -> tuple[str, str]:
    """'新能源汽车产业链 2026年第四季度 产品供给清单', 'New Energy Vehicles chain — 2026 Q4 supply list'."""
    zh_period, en_period = period_label(period)
    name_zh = chain["name_zh"] if chain["name_zh"].endswith("产业链") else f"{chain['name_zh']}产业链"
    return (f"{name_zh} {zh_period} {_LIST_ZH[kind]}",
            f"{chain['name_en']} chain — {en_period} {kind} list")


def to_row(kind: str, item: dict) -> dict:
    """An item as an edition row: the importable record plus display-only fields."""
    return {"record": to_record(kind, item), "display": {k: item.get(k) for k in DISPLAY_FIELDS}}


def publish(db: GraphDB, principal: Principal, chain: str, kind: str, period: str | None = None,
            now: datetime | None = None) -> dict:
    """Snapshot the chain's published items of `kind` as a new edition; Conflict if it exists."""
    require_role(principal, *PUBLISHERS)
    if kind not in KINDS:
        raise Invalid(f"kind is one of {', '.join(KINDS)}", {"kind": [f"one of {', '.join(KINDS)}"]})
    now = now or datetime.now(timezone.utc)
    period = period or current_period(now.date())
    found = _resolve_chain(db, chain)
    title_zh, title_en = titles(found, kind, period)
    published = stamp(now)
    edition = {"id": f"{found['id']}-{kind}-{period}", "kind": kind, "chain_id": found["id"],
               "chain_name_zh": found["name_zh"], "chain_name_en": found["name_en"], "period": period,
               "title_zh": title_zh, "title_en": title_en, "published_at": published, "started_at": published,
               "published_by": principal.email or principal.id}
    _claim(db, edition, stamp(now - STALE_AFTER))
    try:
        totals = _write_rows(db, edition["id"], kind, found["id"])
    except BaseException:
        edition_repo.discard(db, edition["id"])  # leave no half-written snapshot behind
        raise
    published = edition_repo.finish(db, edition["id"], totals)
    if published is None:  # only if this publication ran past STALE_AFTER and another took over
        raise Conflict(N_("edition '%(id)s' was taken over by another publication") % {"id": edition["id"]})
    return published


def _resolve_chain(db: GraphDB, name: str) -> dict:
    chains = chain_repo.chain_names(db)
    chain_id = ChainNames(chains).resolve(name or "")
    if chain_id is None:
        raise Invalid(N_("no chain named '%(name)s'") % {"name": name},
                      {"chain": [N_("a chain id such as 'nev', or its name")]})
    return next(c for c in chains if c["id"] == chain_id)


def _claim(db: GraphDB, edition: dict, stale_before: str) -> None:
    try:
        existing = edition_repo.claim(db, edition, stale_before)
    except DuplicateKey:  # another official claimed the same id at the same moment
        existing = {"state": "pending"}
    if existing is not None:
        message = _PENDING if existing.get("state") == "pending" else _PUBLISHED
        raise Conflict(message % {"id": edition["id"]},
                       {"period": [N_("an edition of this chain, list and period exists")]})


def _write_rows(db: GraphDB, edition_id: str, kind: str, chain_id: str) -> dict:
    """Stream the live items into parts; returns the edition's totals."""
    count, total_value, firms, position, pending = 0, 0.0, set(), 0, []
    items = export_items(db, kind, {"chain_id": chain_id, "statuses": ["published"]})
    for batch in _chunks(items, edition_repo.PART_SIZE):
        pending.append([to_row(kind, item) for item in batch])
        count += len(batch)
        total_value += sum(item.get("value") or 0 for item in batch)
        firms.update(item["enterprise_id"] for item in batch)
        if len(pending) == _PARTS_PER_WRITE:
            edition_repo.add_parts(db, edition_id, position, pending)
            position, pending = position + len(pending), []
    if count == 0:
        raise Invalid(_NOTHING[kind] % {"chain": chain_id}, {"chain": [_NOTHING_FIELD[kind]]})
    if pending:
        edition_repo.add_parts(db, edition_id, position, pending)
    return {"item_count": count, "enterprise_count": len(firms), "parts": position + len(pending),
            "total_value": total_value if kind == "demand" else None}


def _chunks(items, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def list_editions(db: GraphDB, chain: str | None = None, kind: str | None = None) -> list[dict]:
    """Published editions, newest first."""
    filters = {k: v for k, v in (("chain_id", chain), ("kind", kind)) if v}
    return edition_repo.list_editions(db, filters)


def get_edition(db: GraphDB, edition_id: str) -> dict:
    edition = edition_repo.get(db, edition_id)
    if edition is None:
        raise NotFound(N_("no edition with id '%(id)s'") % {"id": edition_id})
    return edition


def edition_page(db: GraphDB, edition_id: str, page: int = 1, per_page: int = 50) -> tuple[dict, Page]:
    """An edition and one page of its rows (each with its 1-based position)."""
    edition = get_edition(db, edition_id)
    start = (page - 1) * per_page
    stop = min(start + per_page, edition["item_count"])
    found = edition_repo.read_rows(db, edition_id, start, stop)
    numbered = [{**row, "position": start + n + 1} for n, row in enumerate(found)]
    return edition, Page(numbered, edition["item_count"], page, per_page)


def all_rows(db: GraphDB, edition_id: str) -> tuple[dict, Iterator[dict]]:
    """An edition and a lazy iterator over all its rows (for print and download)."""
    edition = get_edition(db, edition_id)
    found = edition_repo.iter_rows(db, edition_id, edition["parts"])
    return edition, ({**row, "position": n} for n, row in enumerate(found, start=1))


def download(db: GraphDB, edition_id: str, fmt: str = "csv") -> Download:
    """The edition as a DATA-FORMAT file: it imports back unchanged."""
    if fmt not in FORMATS:
        raise Invalid(f"format is one of {', '.join(FORMATS)}", {"format": [f"one of {', '.join(FORMATS)}"]})
    edition, found = all_rows(db, edition_id)
    writer, content_type = FORMATS[fmt]
    body = writer(edition["kind"], (row["record"] for row in found))
    return Download(f"{edition['id']}.{fmt}", f"{edition['title_zh']}.{fmt}", content_type, body)


def overview(db: GraphDB, principal: Principal, chain: str | None, kind: str | None,
             today: date | None = None) -> dict:
    """What the editions page shows: the editions, the chains to filter by, the publish form."""
    return {"editions": list_editions(db, chain, kind), "chains": chain_repo.chain_names(db),
            "can_publish": principal.role in PUBLISHERS,
            "default_period": current_period(today or date.today()), "chain": chain, "kind": kind}
