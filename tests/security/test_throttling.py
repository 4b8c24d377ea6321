"""Sign-in throttling: guessing is slowed per address, per account and address, and per account,
but an owner's own browser (device cookie) is never locked out by a stranger."""
from __future__ import annotations

import pytest

from matchmaker.api import auth as api_auth
from matchmaker.services import signin_throttle as throttle
from tests.matrix_helpers import FAST_PASSWORD, csrf_of, fast_user

from .signin import client_at, sign_in

WRONG = "wrong-password-1"


def token(client, email: str, password: str):
    return client.post("/api/v1/auth/token", json={"email": email, "password": password})


class Clock:
    def __init__(self, now: float):
        self.now = now

    def time(self) -> float:
        return self.now


def test_guessing_across_30_accounts_from_one_address_is_stopped(app, db):
    users = [fast_user(db, "official") for _ in range(30)]
    guesser = client_at(app, "203.0.113.7")
    statuses = [token(guesser, u["email"], WRONG).status_code for u in users]
    assert statuses[:throttle.ADDRESS.failures] == [401] * throttle.ADDRESS.failures
    assert set(statuses[throttle.ADDRESS.failures:]) == {429}
    refused = token(guesser, users[-1]["email"], FAST_PASSWORD)  # even a right guess, now
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= throttle.ADDRESS.window
    body = refused.get_json()["error"]
    assert body["code"] == "too_many_requests" and body["retry_after"] == int(refused.headers["Retry-After"])
    assert body["message"] == "too many failed sign-ins: try again in 15 minutes"
    # Other addresses are not affected.
    assert token(client_at(app, "198.51.100.1"), users[-1]["email"], FAST_PASSWORD).status_code == 201


def test_a_stranger_cannot_lock_the_owner_out_of_a_browser_they_signed_in_from(app, db):
    owner = fast_user(db, "official")
    browser = client_at(app, "192.0.2.10")
    assert sign_in(browser, owner["email"], owner["password"]).status_code == 302
    assert browser.get_cookie("device") is not None
    browser.post("/logout", data={"csrf_token": csrf_of(browser, "/account")})

    for n in range(30):  # many addresses, enough for every per-account limit
        token(client_at(app, f"203.0.113.{n}"), owner["email"], WRONG)
    assert token(client_at(app, "203.0.113.200"), owner["email"], FAST_PASSWORD).status_code == 429
    # The owner's browser, even from the attacker's own address, still signs in.
    browser.environ_base["REMOTE_ADDR"] = "203.0.113.0"
    assert sign_in(browser, owner["email"], owner["password"]).status_code == 302
    assert browser.get("/account").status_code == 200


def test_one_address_guessing_one_account_does_not_lock_the_owner_elsewhere(app, db):
    owner = fast_user(db, "official")
    attacker = client_at(app, "203.0.113.9")
    for _ in range(throttle.PAIR.failures):
        assert token(attacker, owner["email"], WRONG).status_code == 401
    assert token(attacker, owner["email"], FAST_PASSWORD).status_code == 429
    assert token(client_at(app, "192.0.2.44"), owner["email"], FAST_PASSWORD).status_code == 201


def test_a_device_cookie_counts_its_own_failures(app, db):
    owner = fast_user(db, "official")
    browser = client_at(app, "192.0.2.11")
    assert sign_in(browser, owner["email"], owner["password"]).status_code == 302
    for _ in range(throttle.DEVICE.failures):
        assert sign_in(browser, owner["email"], WRONG).status_code == 401
    assert sign_in(browser, owner["email"], owner["password"]).status_code == 429


def test_a_device_cookie_of_another_account_or_forged_exempts_nothing(app, db):
    owner, other = fast_user(db, "official"), fast_user(db, "official")
    browser = client_at(app, "192.0.2.12")
    assert sign_in(browser, other["email"], other["password"]).status_code == 302  # device cookie for `other`
    for _ in range(throttle.PAIR.failures):
        sign_in(browser, owner["email"], WRONG)
    assert sign_in(browser, owner["email"], owner["password"]).status_code == 429
    forged = client_at(app, "192.0.2.12")
    for value in ("not-signed", "WyJhQGIuY24iLCJ4Il0.forged.sig", "", "x" * 4000):
        forged.set_cookie("device", value)
        assert sign_in(forged, owner["email"], owner["password"]).status_code == 429


def test_throttling_ends_with_its_window(app, db, monkeypatch):
    clock = Clock(1_800_000_000.0)
    monkeypatch.setattr(api_auth, "time", clock)
    owner = fast_user(db, "official")
    attacker = client_at(app, "203.0.113.50")
    for _ in range(throttle.PAIR.failures):
        token(attacker, owner["email"], WRONG)
    clock.now += 60
    refused = token(attacker, owner["email"], FAST_PASSWORD)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) == throttle.PAIR.window - 60
    assert refused.get_json()["error"]["message"] == "too many failed sign-ins: try again in 14 minutes"
    clock.now += throttle.PAIR.window
    assert token(attacker, owner["email"], FAST_PASSWORD).status_code == 201


def test_unknown_addresses_are_throttled_like_known_ones(app, db):
    guesser = client_at(app, "203.0.113.60")
    statuses = [token(guesser, "nobody-here@example.cn", WRONG).status_code for _ in range(throttle.PAIR.failures + 1)]
    assert statuses == [401] * throttle.PAIR.failures + [429]


@pytest.mark.parametrize("lang, text", [("zh", "登录失败次数过多：请 15 分钟后再试"),
                                        ("en", "too many failed sign-ins: try again in 15 minutes")])
def test_the_sign_in_page_says_when_to_try_again(app, db, lang, text):
    owner = fast_user(db, "official")
    browser = client_at(app, "203.0.113.70")
    for _ in range(throttle.PAIR.failures):
        assert sign_in(browser, owner["email"], WRONG, lang).status_code == 401
    page = sign_in(browser, owner["email"], owner["password"], lang)
    assert page.status_code == 429 and int(page.headers["Retry-After"]) > 0
    assert text in page.get_data(as_text=True)
    assert browser.get("/account").status_code == 302  # not signed in


@pytest.mark.parametrize("body", [{"email": "not-an-email", "password": WRONG}, {"email": "a@b.cn"},
                                  {"password": WRONG}, {"email": "a@b.cn", "password": "x" * 201},
                                  {"email": "a@b.cn", "password": WRONG, "extra": 1}, ["a@b.cn"]])
def test_malformed_sign_ins_are_422_and_not_counted(app, db, body):
    client = client_at(app, "203.0.113.80")
    for _ in range(throttle.PAIR.failures + 2):
        assert client.post("/api/v1/auth/token", json=body).status_code in (400, 422)
    owner = fast_user(db, "official")
    assert token(client, owner["email"], FAST_PASSWORD).status_code == 201
