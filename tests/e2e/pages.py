"""What the e2e tests do with pages as a person would (sign in, open the header's links, submit a form,
read the flashes, check a page speaks its language), plus the factories that set a scene through the
services. Shared by every e2e module."""
from __future__ import annotations

import re
import time

from matchmaker.services import items as item_service
from tests.helpers import HOME, SYSTEM, gen_enterprise, gen_user

CJK = re.compile(r"[\u3400-\u9fff]")
ENGLISH_PHRASE = re.compile(r"[A-Za-z]{3,}(?:[ ,]+[A-Za-z]{2,}){2,}")  # three English words in a row

def sign_in(page, email: str, password: str, lang: str = "zh") -> None:
    """Fill and submit the sign-in form as a person would."""
    page.goto(f"/login?lang={lang}")
    form = page.locator("main form")
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        form.get_by_role("button").click()


def open_menu(page) -> None:
    """At phone width the header's links fold behind the menu button: open it, as a person would."""
    button = page.locator("header label.menu-button")
    if button.is_visible() and not page.locator("header .menu").is_visible():
        button.click()


def header_link(page, selector: str):
    """A link or button in the header, reachable at any width (the menu and a nav group opened first)."""
    open_menu(page)
    target = page.locator(selector)
    target.first.evaluate("el => { const group = el.closest('details'); if (group) group.open = true; }")
    return target


def sign_out(page) -> None:
    with page.expect_navigation():
        header_link(page, "header .account form button").click()


def submit(page, form_selector: str = "main form.stack") -> None:
    with page.expect_navigation():
        page.locator(form_selector).get_by_role("button").last.click()


def flashes(page) -> list[str]:
    return page.locator("main .flash").all_inner_texts()


def pick_category(page, label: str) -> str:
    """Choose a category from the field's datalist by its visible label; returns the chosen id.

    Headless Chromium draws no datalist popup, so the choice is made as the popup would make it:
    the option's value goes into the input the datalist is attached to.
    """
    field = page.locator("main form input[name=category]")
    options = page.locator(f"datalist#{field.get_attribute('list')} > option")
    option = options.filter(has_text=label)
    assert option.count() == 1, f"no single category option labelled {label!r}"
    value = option.get_attribute("value")
    field.fill(value)
    return value


def gen_item(db, kind: str, enterprise_id: str, **data) -> dict:
    """An item made through the service (by the admin) to set the scene."""
    return item_service.create_item(db, SYSTEM, kind, {"enterprise_id": enterprise_id, **data}, HOME)


def firm_user(db, role: str = "sme", **extra) -> tuple[dict, dict]:
    enterprise = gen_enterprise(db, role=role, **extra)
    return enterprise, gen_user(db, role=role, enterprise_id=enterprise["id"])


def no_horizontal_overflow(page) -> tuple[bool, list]:
    width, inner = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    return width <= inner + 1, [width, inner]


def suggested_suppliers(page, wanted: int, timeout_s: float = 20.0) -> list[str]:
    """The demand page's suggested suppliers' ids in order, reloading until `wanted` are shown (the match
    index follows writes within a moment)."""
    deadline = time.monotonic() + timeout_s
    while True:
        ids = [li.get_attribute("data-enterprise") for li in page.locator("#suggestions li.match").all()]
        if len(ids) >= wanted or time.monotonic() > deadline:
            return ids
        time.sleep(0.5)
        page.reload()


_KEY_TEXTS = """() => {
    const own = el => [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join(' ');
    const main = document.querySelector('main');
    const full = [...main.querySelectorAll('h1, h2, h3, th, button, .flash, dt, summary, .stage-badge, .badge')]
        .map(el => el.innerText);
    return full.concat([...main.querySelectorAll('label')].map(own)).map(t => t.trim()).filter(Boolean);
}"""


def key_texts(page) -> list[str]:
    """The main part's headings, buttons, table heads, flashes, badges and labels (a label's own text,
    not its options): what says whether a page speaks its language."""
    return page.evaluate(_KEY_TEXTS)


def wrong_language(texts: list[str], lang: str, own_words: list[str]) -> list[str]:
    """The texts not in `lang`: an English phrase (three words in a row) in Chinese, any Chinese in
    English; what people typed in, `own_words`, is left out."""
    wrong = []
    for text in texts:
        for words in own_words:
            text = text.replace(words, "")
        if (ENGLISH_PHRASE if lang == "zh" else CJK).search(text):
            wrong.append(text)
    return wrong
