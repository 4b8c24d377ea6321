"""The import page's template links and the format page at phone width, in both languages."""
from __future__ import annotations

import os

import pytest

from tests.e2e.pages import sign_in
from tests.helpers import gen_enterprise, gen_user

pytestmark = pytest.mark.e2e
SHOTS = os.environ.get("E2E_SCREENSHOTS")  # a folder: the pages are also saved as PNG there


def _fits(page, name: str) -> None:
    width, inner = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)
    assert width <= inner, f"{name}: page is {width}px wide in a {inner}px viewport"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_format_page_and_import_page_fit_a_phone(phone_page, db, lang):
    phone_page.goto(f"/imports/format?lang={lang}")
    assert phone_page.locator("article.doc table").count() >= 3
    _fits(phone_page, f"format-{lang}")
    firm = gen_enterprise(db, role="sme")
    user = gen_user(db, "sme", enterprise_id=firm["id"])
    sign_in(phone_page, user["email"], user["password"], lang)
    phone_page.goto("/imports")
    assert phone_page.locator("a[href='/imports/template/supply.xlsx']").is_visible()
    _fits(phone_page, f"imports-{lang}")
