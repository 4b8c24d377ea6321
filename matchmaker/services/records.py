"""DATA-FORMAT records <-> graph records: the domain rules (matchmaker.rules), then reference checks.

Every write path (API, pages, imports, CLI) comes through here, so a record is judged once.
Each `*_to_graph` returns (graph record or None, row errors, warnings).
"""
from __future__ import annotations

from ..errors import N_
from ..regions import RegionNotFound, resolve_region
from ..rules import check_enterprise, check_item, normalise
from ..rules.enterprise import CONTACTS
from ..tabular import RowError
from .resolve import Resolver

Result = tuple[dict | None, list[RowError], list[str]]


def enterprise_to_graph(row: int, rec: dict, ref: Resolver) -> Result:
    rec = normalise(rec)
    errors = rule_errors(row, check_enterprise(rec))
    if errors:
        return None, errors, []
    warnings = []
    region_code = _region(row, "region", rec["region"], ref, errors)
    chain_ids, unknown = ref.chains.resolve_many(rec.get("chains") or [])
    warnings += [f"row {row}: chain '{name}' matches no chain and was left out" for name in unknown]
    if errors:
        return None, errors, warnings
    graph = {k: rec.get(k) for k in ("id", "name", "name_en", "role", "tier", "description",
                                       "annual_procurement", "local_procurement", *CONTACTS)}
    graph.update(region_code=region_code, local=ref.is_local(region_code), chain_ids=chain_ids,
                 certifications=rec.get("certifications") or [], tier=rec.get("tier") or "none")
    return graph, [], warnings


def item_to_graph(kind: str, row: int, rec: dict, ref: Resolver, owners: dict[str, dict]) -> Result:
    """A supply or demand record; `owners` maps enterprise ids to {role} of existing firms."""
    rec = normalise(rec)
    owner = owners.get(rec.get("enterprise_id"))
    errors = rule_errors(row, check_item(kind, rec, owner and owner["role"]))
    if errors:
        return None, errors, []
    warnings = []
    if owner is None:
        errors.append(RowError(row, "enterprise_id", N_("no enterprise with id '%(id)s': import it in the "
                                                       "enterprises file first") % {"id": rec["enterprise_id"]}))
    chain_id = _chain(row, rec.get("chain"), ref, warnings)
    other_chain = ref.chain_conflict(rec.get("category"), chain_id)
    if other_chain:
        errors.append(RowError(row, "category", N_("category '%(category)s' belongs to the chain '%(category_chain)s', "
                                                   "not to this row's chain '%(chain)s': correct the category or "
                                                   "the chain")
                               % {"category": rec["category"], "category_chain": other_chain,
                                  "chain": rec["chain"]}))
    text = f"{rec['name']} {rec.get('description') or ''}"
    category_id, proposed = ref.category(rec.get("category"), text, chain_id)
    if rec.get("category") and proposed:
        warnings.append(N_("row %(row)s: category '%(category)s' is not a taxonomy id; proposed %(proposed)s")
                        % {"row": row, "category": rec["category"], "proposed": category_id or "—"})
    current_region = None
    if kind == "demand" and rec.get("current_supplier_region"):
        current_region = _region(row, "current_supplier_region", rec["current_supplier_region"], ref, errors)
    if errors:
        return None, errors, warnings
    category = ref.categories.get(category_id) if category_id else None
    props = _item_props(kind, rec, category, chain_id, proposed)
    if kind == "demand":
        props.update(current_supplier_region=current_region,
                     current_supplier_local=ref.is_local(current_region) if current_region else None)
    return {"id": rec["id"], "enterprise_id": rec["enterprise_id"], "props": props}, [], warnings


def rule_errors(row: int, errors: dict[str, list[str]]) -> list[RowError]:
    return [RowError(row, column, reason) for column, reasons in errors.items() for reason in reasons]


def _item_props(kind: str, rec: dict, category: dict | None, chain_id: str | None, proposed: bool) -> dict:
    columns = {"supply": ("name", "description", "capacity", "unit", "certifications", "status"),
               "demand": ("name", "description", "quantity", "unit", "unit_price",
                          "required_certifications", "prefer_local", "deadline", "status")}[kind]
    props = {k: rec.get(k) for k in columns}
    for list_column in ("certifications", "required_certifications"):
        if list_column in props:
            props[list_column] = props[list_column] or []
    props["status"] = rec.get("status") or "published"
    props["category_id"] = category["id"] if category else None
    props["category_proposed"] = proposed and category is not None
    props["chain_id"] = category["chain_id"] if category else chain_id
    props["segment_id"] = category["segment_id"] if category else None
    props["search"] = f"{rec['name']} {rec.get('description') or ''}".lower()
    if kind == "demand":
        props["prefer_local"] = True if rec.get("prefer_local") is None else rec["prefer_local"]
        q, p = rec.get("quantity"), rec.get("unit_price")
        props["value"] = q * p if q is not None and p is not None else None
    return props


def _region(row: int, column: str, text: str, ref: Resolver, errors: list[RowError]) -> str | None:
    try:
        return resolve_region(ref.regions, text).code
    except RegionNotFound as exc:
        errors.append(RowError(row, column, str(exc)))
        return None


def _chain(row: int, name: str | None, ref: Resolver, warnings: list[str]) -> str | None:
    if not name:
        return None
    chain_id = ref.chains.resolve(name)
    if chain_id is None:
        warnings.append(N_("row %(row)s: chain '%(chain)s' matches no chain and was left out")
                        % {"row": row, "chain": name})
    return chain_id
