"""Enterprise profiles: officials create and edit them; everyone reads them."""
from __future__ import annotations

from datetime import date

from graph import enterprises as enterprise_repo
from graph.db import GraphDB

from ..errors import N_, Conflict, Invalid, NotFound
from ..tabular import COLUMNS
from ..timestamps import stamp
from ..rules.contacts import credit_code
from ..rules.enterprise import CONTACTS
from .permissions import Principal, may_see_contacts, may_see_procurement, require_manager
from .records import enterprise_to_graph
from .resolve import Resolver

def get_enterprise(db: GraphDB, enterprise_id: str, today: date | None = None) -> dict:
    enterprise = enterprise_repo.get(db, enterprise_id)
    if enterprise is None:
        raise NotFound(N_("no enterprise with id '%(id)s'") % {"id": enterprise_id})
    return {**enterprise, "certificates": certificates(enterprise.get("certifications"), today),
            "credit_code": credit_code(enterprise["id"])}


def create_enterprise(db: GraphDB, principal: Principal, data: dict, home_region: str) -> dict:
    require_manager(principal)
    if enterprise_repo.get(db, data["id"]) is not None:
        raise Conflict(N_("an enterprise with id '%(id)s' exists already") % {"id": data["id"]},
                       {"id": [N_("already used")]})
    return _save(db, {**{c.name: None for c in COLUMNS["enterprises"]}, **data}, home_region)


def update_enterprise(db: GraphDB, principal: Principal, enterprise_id: str, changes: dict,
                      home_region: str) -> dict:
    require_manager(principal)
    existing = get_enterprise(db, enterprise_id)
    if changes.get("id", enterprise_id) != enterprise_id:
        raise Invalid(N_("an enterprise's id cannot change"), {"id": [N_("remove it or send the same id")]})
    return _save(db, {**to_record(existing), **changes}, home_region)


def _save(db: GraphDB, record: dict, home_region: str) -> dict:
    graph, errors, warnings = enterprise_to_graph(0, record, Resolver(db, home_region))
    if errors:
        raise Invalid(N_("the enterprise cannot be saved"), {e.column: [e.reason] for e in errors})
    if record.get("chains") and not graph["chain_ids"]:
        raise Invalid(N_("no chain matches"), {"chains": [w.split(": ", 1)[-1] for w in warnings]})
    now = stamp(precise=True)
    enterprise_repo.upsert_many(db, [graph], now)
    return get_enterprise(db, record["id"])


def to_record(enterprise: dict) -> dict:
    """A stored enterprise as a DATA-FORMAT record (the export row)."""
    record = {c.name: enterprise.get(c.name) for c in COLUMNS["enterprises"]}
    record["region"] = enterprise.get("region_code")
    record["chains"] = enterprise.get("chain_ids") or []
    return record


def certificates(values: list[str] | None, today: date | None = None) -> list[dict]:
    """'IATF16949@2027-06-30' -> {name, expires, valid}; a certificate without a date does not expire."""
    today_iso = (today or date.today()).isoformat()
    result = []
    for value in values or []:
        name, _, expires = value.partition("@")
        result.append({"name": name, "expires": expires or None, "valid": not expires or expires >= today_iso})
    return result


def search_enterprises(db: GraphDB, args: dict) -> tuple[list[dict], int]:
    skip = (args.get("page", 1) - 1) * args.get("per_page", 20)
    return enterprise_repo.search(db, args.get("role"), args.get("q", ""), args.get("chain"),
                                  skip, args.get("per_page", 20))


PROCUREMENT = ("annual_procurement", "local_procurement")


def visible(principal: Principal, enterprise: dict) -> dict:
    """An enterprise (or its export record) as this principal may see it: procurement figures
    only for officials, admins and the firm itself (permissions.may_see_procurement), contact
    details only for signed-in accounts (permissions.may_see_contacts)."""
    hidden = [*(() if may_see_procurement(principal, enterprise.get("id")) else PROCUREMENT),
              *(() if may_see_contacts(principal) else CONTACTS)]
    return {**enterprise, **{name: None for name in hidden}}
