"""/imports/format in each language: docs/DATA-FORMAT.zh.md in Chinese, docs/DATA-FORMAT.md in English."""
from __future__ import annotations

import re

import pytest

ZH_HEADINGS = ("<h1>交换格式：企业、供给条目、需求条目</h1>", "<h3>中文列名</h3>", "<h3>类别与产业链</h3>",
               "<h2>supply（中小企业产品与服务供给清单）</h2>")
EN_HEADINGS = ("<h1>Interchange format: enterprises, supply items, demand items</h1>",
               "<h3>Chinese column headers</h3>", "<h3>Category and chain</h3>",
               "<h2>supply (SME product and service supply list)</h2>")
ORIGINAL_LINK = 'href="/imports/format?lang=en"'


def page(client, query: str = "", **headers) -> str:
    response = client.get(f"/imports/format{query}", headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def article(html: str) -> str:
    return html.split('<article class="doc">', 1)[1].split("</article>", 1)[0]


def assert_chinese(html: str) -> None:
    assert all(h in html for h in ZH_HEADINGS) and not any(h in html for h in EN_HEADINGS)
    assert "中文译本" in html and "以英文原文为准" in html and ORIGINAL_LINK in html and "查看英文原文" in html


def assert_english(html: str) -> None:
    assert all(h in html for h in EN_HEADINGS) and not any(h in html for h in ZH_HEADINGS)
    assert ORIGINAL_LINK not in html and "docs/DATA-FORMAT.md of the platform" in html


def test_chinese_shows_the_translation_and_links_the_english_original(client):
    html = page(client, "?lang=zh")
    assert_chinese(html)
    body = article(html)
    assert body.count("<table") == 4 and "<td data-label=\"必填\">是</td>" in body
    assert "<code>enterprise_id</code>" in body and "<code>little_giant</code>" in body and "企业编号" in body


def test_english_shows_the_reference_text(client):
    html = page(client, "?lang=en")
    assert_english(html)
    assert article(html).count("<table") == 4 and "<td data-label=\"required\">yes</td>" in html


def test_both_pages_have_the_same_structure(client):
    zh, en = article(page(client, "?lang=zh")), article(page(client, "?lang=en"))
    for tag in ("<h1>", "<h2>", "<h3>", "<table", "<tr>", "<li>", "<code>"):
        assert zh.count(tag) == en.count(tag), tag
    assert sorted(re.findall(r"<code>([^<]*)</code>", zh)) == sorted(re.findall(r"<code>([^<]*)</code>", en))


def test_the_chosen_language_is_remembered_and_the_original_link_switches_it(client):
    assert_chinese(page(client, "?lang=zh"))
    assert_chinese(page(client))
    assert_english(page(client, "?lang=en"))   # what the "English original" link does
    assert_english(page(client))


@pytest.mark.parametrize("header, chinese", [("zh-CN,zh;q=0.9", True), ("en-GB,en;q=0.8", False), ("", True)])
def test_without_a_choice_the_browser_language_decides(app, header, chinese):
    html = page(app.test_client(), **({"Accept-Language": header} if header else {}))
    (assert_chinese if chinese else assert_english)(html)


@pytest.mark.parametrize("lang", ["fr", "zh/../../README", "../docs/DATA-FORMAT", "ZH", ""])
def test_an_unknown_lang_falls_back_to_the_browser_language(app, lang):
    html = page(app.test_client(), f"?lang={lang}", **{"Accept-Language": "en"})
    assert_english(html)
