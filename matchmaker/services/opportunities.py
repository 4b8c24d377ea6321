"""Supply opportunities: open demand in the SME's chains and categories."""
from __future__ import annotations

from graph import enterprises as enterprise_repo
from graph import items as item_repo
from graph.db import GraphDB

from .items import Page, list_items
from ..rules.vocab import LIST_ACCOUNT_ROLE, MANAGERS
from .permissions import Principal, require_role


def opportunities(db: GraphDB, principal: Principal, args: dict) -> Page:
    """Published demand in the categories the SME supplies, else in its chains."""
    require_role(principal, LIST_ACCOUNT_ROLE["supply"], *MANAGERS)
    enterprise = enterprise_repo.get(db, principal.enterprise_id) if principal.enterprise_id else None
    categories = item_repo.categories_of(db, "supply", principal.enterprise_id) if enterprise else []
    narrowed = dict(args)
    if categories and "category" not in args:
        narrowed["category_ids"] = categories
    elif enterprise and enterprise.get("chain_ids") and "chain" not in args:
        narrowed["chain_ids"] = enterprise["chain_ids"]
    return list_items(db, principal, "demand", narrowed)
