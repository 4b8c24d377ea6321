"""The home page, a chain page, the language switch and the phone layout in a real browser."""
from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.e2e

HOME_ZH = "本地区产业链供需对接平台"
HOME_EN = "Supply-chain matchmaking for the home region"
CHAINS_ZH = "重点产业链"


def test_home_lists_the_17_chain_cards(page):
    page.goto("/?lang=zh")
    assert page.locator("h1").inner_text() == HOME_ZH
    assert page.locator("h2#chains").inner_text() == CHAINS_ZH
    cards = page.locator("ul.cards > li.card")
    assert cards.count() == 17
    names = cards.locator("h2").all_inner_texts()
    assert "新能源汽车" in names
    assert len(set(names)) == 17 and all(n.strip() for n in names)
    for link in cards.locator("a").all():
        assert re.fullmatch(r"/chains/[\w.-]+", link.get_attribute("href"))
    page.screenshot(path="/tmp/e2e-home.png", full_page=True)


def test_clicking_a_chain_card_opens_its_gap_map_and_a_category(page):
    page.goto("/?lang=zh")
    page.locator("ul.cards > li.card", has_text="新能源汽车").get_by_role("link").click()
    page.wait_for_url("**/chains/nev")
    assert page.locator("h1").inner_text() == "新能源汽车"
    svg = page.locator("#gap-map svg.gap-map")
    assert svg.is_visible()
    headers = svg.locator("text.segment").all_text_contents()
    assert len(headers) == 3 and headers[0].startswith("上游") and headers[2].startswith("下游")
    node = svg.locator("a.node[data-id='nev.battery-cell']")
    assert node.locator("text").first.text_content() == "动力电池电芯"
    assert node.get_attribute("class").split()[1] in ("state-gap", "state-weak", "state-covered")
    assert svg.locator("path.feed").count() >= 1
    assert page.locator("ul.feeds > li").count() >= 1
    page.screenshot(path="/tmp/e2e-gap-map.png", full_page=True)
    node.click()
    page.wait_for_url("**/categories/nev.battery-cell")
    assert page.locator("h1").inner_text() == "动力电池电芯"
    assert page.locator("section#cultivation h2").is_visible()


def test_phone_menu_folds_the_navigation_behind_a_button(phone_page):
    page = phone_page
    page.goto("/?lang=zh")
    supply = page.locator("header nav a", has_text="产品供给清单")
    assert not supply.is_visible()
    header = page.locator("header.top").bounding_box()
    assert header["height"] < 80, f"header takes {header['height']}px"
    page.locator("label.menu-button").click()
    assert supply.is_visible()
    box = supply.bounding_box()
    assert box["height"] < 40, "a nav label wraps onto two lines"
    supply.click()
    page.wait_for_url("**/supply**")


def test_language_switch_changes_headings_and_sticks_across_pages(page):
    page.goto("/?lang=zh")
    assert page.locator("h1").inner_text() == HOME_ZH
    assert page.locator("html").get_attribute("lang") == "zh-CN"

    page.locator("header .lang a[href='?lang=en']").click()
    page.wait_for_url("**/?lang=en")
    assert page.locator("h1").inner_text() == HOME_EN
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("header .lang a[aria-current]").inner_text() == "EN"

    # the next page, reached without ?lang=, stays English (remembered in the session)
    page.locator("ul.cards > li.card", has_text="New Energy Vehicles").get_by_role("link").click()
    page.wait_for_url("**/chains/nev")
    assert page.locator("h1").inner_text() == "New Energy Vehicles"
    assert page.locator("#gap-map svg text.segment").first.text_content().startswith("Upstream")
    assert page.get_by_role("heading", name="Categories").is_visible()
    assert page.locator("details.feeds-list summary").inner_text().startswith("What feeds what")

    page.locator("header .lang a[href='?lang=zh']").click()
    page.wait_for_url("**/chains/nev?lang=zh")
    assert page.locator("h1").inner_text() == "新能源汽车"
    page.locator("header a.brand").click()
    page.wait_for_url(re.compile(r".*/$"))
    assert page.locator("h1").inner_text() == HOME_ZH


def test_phone_width_cards_in_one_column_without_horizontal_scroll(phone_page):
    page = phone_page
    page.goto("/?lang=zh")
    boxes = [card.bounding_box() for card in page.locator("ul.cards > li.card").all()]
    assert len(boxes) == 17
    lefts = {round(b["x"]) for b in boxes}
    assert len(lefts) == 1, f"cards not in one column: x positions {sorted(lefts)}"
    for above, below in zip(boxes, boxes[1:]):
        assert below["y"] >= above["y"] + above["height"], "cards overlap or sit side by side"
    viewport = page.evaluate("innerWidth")
    assert all(b["x"] >= 0 and b["x"] + b["width"] <= viewport for b in boxes)
    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth"), \
        page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
    page.screenshot(path="/tmp/e2e-home-phone.png")


@pytest.mark.parametrize("path", ["/?lang=zh", "/?lang=en", "/chains/nev?lang=zh", "/chains/nev?lang=en"])
def test_no_horizontal_scroll_at_phone_width(phone_page, path):
    phone_page.goto(path)
    assert phone_page.locator("h1").is_visible()
    width, inner = phone_page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
    assert width <= inner, f"{path}: page is {width}px wide in a {inner}px viewport"
