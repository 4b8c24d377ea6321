"""Enterprise lists: text, role and chain filters, name order, total and pages."""
from __future__ import annotations

from graph import enterprises as enterprise_repo
from tests.helpers import gen_enterprise


def _names(page):
    return [e["name"] for e in page]


def test_search_pages_through_matching_firms_in_name_order(db):
    for name in ("成都精工丙", "成都精工甲", "重庆精工乙", "成都电子丁"):
        gen_enterprise(db, "sme", name=name)
    gen_enterprise(db, "leader", name="成都精工整车")
    everything, total = enterprise_repo.search(db, None, "精工", None, 0, 50)
    assert total == 4 and _names(everything) == sorted(["成都精工丙", "成都精工甲", "重庆精工乙", "成都精工整车"])
    pages = [enterprise_repo.search(db, None, "精工", None, skip, 3) for skip in (0, 3)]
    assert [n for page, t in pages for n in _names(page)] == _names(everything) and {t for _, t in pages} == {4}
    assert _names(enterprise_repo.search(db, "leader", "精工", None, 0, 50)[0]) == ["成都精工整车"]
    assert enterprise_repo.search(db, None, "没有", None, 0, 50) == ([], 0)


def test_chain_filter_and_skip_past_the_end(db):
    gen_enterprise(db, "sme", name="轨交配套甲", chains=["rail"])
    gen_enterprise(db, "sme", name="汽车配套乙", chains=["nev"])
    page, total = enterprise_repo.search(db, None, "", "rail", 0, 20)
    assert _names(page) == ["轨交配套甲"] and total == 1
    assert enterprise_repo.search(db, None, "", "rail", 40, 20) == ([], 1)
