"""Messages the services fill with values reach the Chinese pages translated, values kept."""
from __future__ import annotations

import pytest

from matchmaker import create_app
from matchmaker.web.messages import translated


@pytest.fixture
def zh_app(tmp_path, monkeypatch):
    monkeypatch.setenv("VAR_DIR", str(tmp_path / "var"))
    return create_app({"TESTING": True, "GRAPH_DB": object(), "HOME_REGION": "510100"})


def _in(app, lang: str, message: str) -> str:
    with app.test_request_context(f"/?lang={lang}"):
        from flask import session
        session["lang"] = lang
        return translated(message)


def test_a_filled_template_is_translated_with_its_values(zh_app):
    message = "not a number: 'abc' — write digits only, e.g. 1500000"
    assert _in(zh_app, "zh", message) == "“abc”不是数字：请只填写数字，例如 1500000"
    assert _in(zh_app, "en", message) == message


def test_several_values_and_the_most_specific_template(zh_app):
    assert _in(zh_app, "zh", "duplicate id 'S-1' (first on row 3)") == "编号“S-1”重复（首次出现在第 3 行）"
    assert _in(zh_app, "zh", "row 7: chain '汽車' matches no chain and was left out") == \
        "第 7 行：产业链“汽車”与任何产业链都不匹配，已忽略"


def test_a_message_no_template_fits_stays_as_it_is(zh_app):
    assert _in(zh_app, "zh", "something only the logs say") == "something only the logs say"


def test_a_missing_page_says_so_in_the_readers_language(zh_app):
    client = zh_app.test_client()
    page = client.get("/no-such-page?lang=zh")
    assert page.status_code == 404 and "该页面不存在" in page.get_data(as_text=True)
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.get_json()["error"]["code"] == "not_found"


def test_the_favicon_is_served(zh_app):
    client = zh_app.test_client()
    icon = client.get("/favicon.ico")
    assert icon.status_code == 301 and icon.headers["Location"].endswith("/static/favicon.svg")
    assert client.get("/static/favicon.svg").mimetype == "image/svg+xml"
