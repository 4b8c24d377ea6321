"""One permission rule per action (matchmaker.services.permissions), without the graph."""
from __future__ import annotations

import pytest

from matchmaker.errors import Forbidden, Unauthorized
from matchmaker.rules.vocab import FILE_KINDS, STATUSES
from matchmaker.services import items as item_service
from matchmaker.services.permissions import (ANONYMOUS, Principal, may_import_row, may_see_procurement,
                                             may_write_item, require_item_create, require_item_write)
from matchmaker.tabular.columns import KINDS as TABULAR_KINDS

ADMIN = Principal("u1", "admin")
OFFICIAL = Principal("u2", "official")
SME = Principal("u3", "sme", "S-A")
LEADER = Principal("u4", "leader", "L-A")
UNLINKED_SME = Principal("u5", "sme", None)


@pytest.mark.parametrize(("principal", "kind", "current", "new", "allowed"), [
    (OFFICIAL, "supply", None, "S-B", True),       # officials curate any firm's list
    (OFFICIAL, "demand", "L-B", "L-C", True),      # ... and move items between firms
    (ADMIN, "supply", "S-B", "S-C", True),
    (SME, "supply", None, "S-A", True),            # a firm writes its own items
    (SME, "supply", "S-A", "S-A", True),
    (SME, "supply", "S-A", "S-B", False),          # ... but never gives one away
    (SME, "supply", "S-B", "S-A", False),          # ... nor takes another firm's (import by id)
    (SME, "supply", None, "S-B", False),
    (SME, "demand", None, "S-A", False),           # the wrong list for its role
    (LEADER, "demand", "L-A", "L-A", True),
    (LEADER, "supply", None, "L-A", False),
    (UNLINKED_SME, "supply", None, None, False),
    (ANONYMOUS, "supply", None, "S-A", False),
])
def test_may_write_item(principal, kind, current, new, allowed):
    assert may_write_item(principal, kind, current, new) is allowed
    assert may_import_row(principal, kind, current, new) is allowed  # a file row is an item write


def test_enterprise_rows_and_procurement_figures():
    assert may_import_row(OFFICIAL, "enterprises", None, None) and may_import_row(ADMIN, "enterprises", None, None)
    assert not may_import_row(SME, "enterprises", None, None)
    assert may_see_procurement(LEADER, "L-A") and may_see_procurement(OFFICIAL, "L-A")
    assert not may_see_procurement(LEADER, "L-B") and not may_see_procurement(ANONYMOUS, "L-A")


def test_refusals_say_why():
    with pytest.raises(Unauthorized):
        require_item_write(ANONYMOUS, "supply", None, "S-A")
    with pytest.raises(Forbidden, match="only officials and admins move"):
        require_item_write(SME, "supply", "S-A", "S-B")
    with pytest.raises(Forbidden, match="S-B"):
        require_item_write(SME, "supply", "S-B", "S-B")
    require_item_create(OFFICIAL, "demand")
    with pytest.raises(Forbidden):
        require_item_create(UNLINKED_SME, "supply")


def test_kinds_and_statuses_are_named_once():
    assert TABULAR_KINDS == FILE_KINDS
    assert item_service.STATUSES is STATUSES
