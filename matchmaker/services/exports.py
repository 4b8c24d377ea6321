"""Export lists in the interchange format, the same columns the importer takes."""
from __future__ import annotations

from graph import enterprises as enterprise_repo
from graph import chains as chain_repo
from graph.db import GraphDB
from graph.item_search import export_items

from ..errors import N_, Invalid
from ..tabular import write_csv, write_xlsx
from .chain_names import ChainNames
from ..rules.vocab import STATUSES
from .enterprises import to_record as enterprise_record
from .enterprises import visible
from .items import to_record as item_record
from .permissions import Principal, is_manager

FORMATS = {"csv": ("text/csv; charset=utf-8", write_csv),
           "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", write_xlsx)}


def export_file(db: GraphDB, principal: Principal, kind: str, fmt: str, chain: str | None) -> tuple[bytes, str, str]:
    """(content, mimetype, filename) of an export."""
    if fmt not in FORMATS:
        raise Invalid(f"unknown format {fmt!r}", {"format": ["use csv or xlsx"]})
    chain_id = _chain_id(db, chain)
    if kind == "enterprises":
        records = [visible(principal, enterprise_record(e)) for e in enterprise_repo.all_enterprises(db, chain_id)]
    elif kind in STATUSES:
        records = [item_record(kind, i) for i in export_items(db, kind, _filters(principal, kind, chain_id))]
    else:
        raise Invalid(f"unknown kind {kind!r}", {"kind": ["use enterprises, supply or demand"]})
    mimetype, write = FORMATS[fmt]
    return write(kind, records), mimetype, f"{kind}{'-' + chain_id if chain_id else ''}.{fmt}"


def _filters(principal: Principal, kind: str, chain_id: str | None) -> dict:
    # Withdrawn supply items are history, not list entries; the format has no such status.
    statuses = [s for s in STATUSES[kind] if s != "withdrawn"] if is_manager(principal) else ["published"]
    return {"statuses": statuses, **({"chain_id": chain_id} if chain_id else {})}


def _chain_id(db: GraphDB, chain: str | None) -> str | None:
    if not chain:
        return None
    chain_id = ChainNames(chain_repo.chain_names(db)).resolve(chain)
    if chain_id is None:
        raise Invalid(N_("no chain matches '%(chain)s'") % {"chain": chain},
                      {"chain": [N_("give a chain id or name, e.g. nev or 新能源汽车")]})
    return chain_id
