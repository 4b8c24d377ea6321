"""Every error path a person meets speaks the page's language: a Chinese page carries no English
sentence of the catalogue (a message that skipped translation) and no run of English words."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.helpers import firm_with_token, gen_user, page_sign_in
from tests.matrix_helpers import csrf_of

CATALOGUES = Path(__file__).resolve().parents[2] / "matchmaker" / "translations" / "zh" / "LC_MESSAGES"
_TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S)
_ENGLISH_RUN = re.compile(r"\b[A-Za-z]{2,}(?:[ ,:;'’-]+[A-Za-z]{2,}){3,}")  # four English words in a row


def _sentences() -> set[str]:
    found = set()
    for po in CATALOGUES.glob("*.po"):
        with open(po, "rb") as fh:
            for m in read_po(fh):
                if isinstance(m.id, str) and m.string and "%(" not in m.id and " " in m.id and m.id != m.string \
                        and re.search(r"[A-Za-z]{3}", m.id):
                    found.add(m.id)
    return found


def _english_left(html: str, sentences: set[str], typed: tuple[str, ...] = ()) -> list[str]:
    text = _TAGS.sub(" ", html)
    for value in typed:
        text = text.replace(value, " ")
    text = re.sub(r"\s+", " ", text)
    return sorted({s for s in sentences if s in text} | set(_ENGLISH_RUN.findall(text)))


@pytest.fixture(scope="module")
def sentences():
    return _sentences()


def test_error_pages_of_visitors_are_chinese(client, db, sentences):
    pages = {
        "404": client.get("/no-such-page?lang=zh"),
        "bad filter": client.get("/supply?tier=bogus&lang=zh"),
        "no csrf": client.post("/login?lang=zh", data={"email": "a@b.cn", "password": "x"}),
        "wrong password": client.post("/login?lang=zh", data={"email": "nobody@example.cn", "password": "wrong-password-1",
                                                              "csrf_token": csrf_of(client, "/login?lang=zh")}),
        "bad sign-up": client.post("/signup?lang=zh", data={
            "email": "not-an-email", "password": "short", "role": "sme", "name": "某公司",
            "enterprise_id": "91350100M000100Y44", "region": "火星市", "csrf_token": csrf_of(client, "/signup")}),
    }
    for name, response in pages.items():
        assert response.status_code >= 400, name
        assert not _english_left(response.get_data(as_text=True), sentences), name


def test_error_pages_of_firms_and_officials_are_chinese(app, db, sentences):
    _, sme, _ = firm_with_token(db, "sme")
    web = app.test_client()
    web.get("/?lang=zh")
    page_sign_in(web, sme)
    token = csrf_of(web, "/supply/new")
    pages = {
        "bad item": web.post("/supply/new", data={"name": "齿轮", "capacity": "很多", "csrf_token": token}),
        "not a table file": web.post("/imports", content_type="multipart/form-data", data={
            "kind": "supply", "mode": "all_or_nothing", "action": "preview", "csrf_token": token,
            "file": (io.BytesIO(b"\x00\x01\x02 binary"), "list.csv")}),
        "forbidden": web.get("/enterprises/new"),
    }
    official = app.test_client()
    official.get("/?lang=zh")
    page_sign_in(official, gen_user(db, "official"))
    pages["bad enterprise"] = official.post("/enterprises/new", data={
        "id": "E-1", "name": "某公司", "role": "sme", "region": "成都市温江区", "website": "javascript:alert(1)",
        "phone": "call me", "csrf_token": csrf_of(official, "/enterprises/new")})
    for name, response in pages.items():
        assert response.status_code >= 400, (name, response.status_code)
        assert not _english_left(response.get_data(as_text=True), sentences, typed=("call me",)), name
