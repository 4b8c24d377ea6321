"""No account enumeration: sign-up and sign-in answer alike whether or not an address has an account."""
from __future__ import annotations

import statistics
import time

import pytest

from graph import users as user_repo
from matchmaker.services import accounts
from tests.helpers import gen_user, uid
from tests.matrix_helpers import csrf_of

from .signin import client_at

WRONG = "wrong-password-1"


def signup_body(email: str, **extra) -> dict:
    return {"email": email, "password": "long-enough-pw", "name": "新企业", "role": "sme", **extra}


def new_email() -> str:
    return f"{uid('new').lower()}@example.cn"


def shape(value):
    """The JSON's keys and value types, without the values."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    return type(value).__name__


def test_api_sign_up_of_an_existing_address_looks_like_a_new_one_and_creates_nothing(client, db):
    owner = gen_user(db, role="leader")
    before = user_repo.list_users(db)
    fresh = client.post("/api/v1/auth/signup", json=signup_body(new_email(), enterprise_id="E-claim"))
    again = client.post("/api/v1/auth/signup", json=signup_body(owner["email"].upper(), enterprise_id="E-claim"))
    assert fresh.status_code == again.status_code == 201
    assert shape(fresh.get_json()) == shape(again.get_json())
    data = again.get_json()["data"]
    assert data["email"] == owner["email"] and data["active"] is False and data["id"] != owner["id"]
    after = user_repo.list_users(db)
    assert len(after) == len(before) + 1  # only the genuinely new sign-up
    stored = user_repo.get(db, owner["id"])
    assert stored["role"] == "leader" and stored["active"] is True and stored["claimed_enterprise_id"] is None
    assert not any(u["email"] == owner["email"] for u in accounts.pending(db))


def test_form_sign_up_of_an_existing_address_looks_like_a_new_one(app, db):
    owner = gen_user(db, role="sme")
    answers = []
    for email in (new_email(), owner["email"]):
        browser = client_at(app)
        response = browser.post("/signup", data={**signup_body(email), "csrf_token": csrf_of(browser, "/signup")})
        page = browser.get(response.headers["Location"]).get_data(as_text=True)
        answers.append((response.status_code, response.headers["Location"], "flash" in page,
                        page.replace(csrf_of(browser, "/login"), "")))
    assert answers[0][:3] == answers[1][:3] == (302, "/login", True)
    assert _flash(answers[0][3]) == _flash(answers[1][3])
    assert user_repo.get(db, owner["id"])["name"] == owner["name"]


def _flash(page: str) -> str:
    start = page.index("flash")
    return page[start:page.index("</", start)]


@pytest.mark.parametrize("body, field", [
    ({"email": "nope", "password": "long-enough-pw", "name": "x", "role": "sme"}, "email"),
    ({"email": "a@b.cn", "password": "short", "name": "x", "role": "sme"}, "password"),
    ({"email": "a@b.cn", "password": "long-enough-pw", "name": "x", "role": "admin"}, "role"),
    ({"email": "a@b.cn", "password": "long-enough-pw", "name": "", "role": "sme"}, "name"),
])
def test_bad_sign_ups_are_still_refused(client, db, body, field):
    response = client.post("/api/v1/auth/signup", json=body)
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"]
    assert user_repo.get_by_email(db, body["email"]) is None


def test_sign_in_answers_alike_for_an_unknown_address_and_a_wrong_password(app, db):
    owner = gen_user(db, role="official")
    known = client_at(app, "192.0.2.1").post("/api/v1/auth/token", json={"email": owner["email"], "password": WRONG})
    unknown = client_at(app, "192.0.2.2").post("/api/v1/auth/token",
                                                json={"email": new_email(), "password": WRONG})
    assert known.status_code == unknown.status_code == 401
    assert known.get_json() == unknown.get_json()
    pages = []
    for n, email in enumerate((owner["email"], new_email())):
        browser = client_at(app, f"192.0.2.{10 + n}")
        response = browser.post("/login", data={"email": email, "password": WRONG, "csrf_token": csrf_of(browser)})
        pages.append((response.status_code, _flash(response.get_data(as_text=True))))
    assert pages[0] == pages[1] and pages[0][0] == 401


def test_an_unknown_address_spends_the_same_hash_time(app, db):
    """Median time of the token endpoint for known accounts (wrong password) and unknown addresses,
    each try from its own address (no throttling in the way)."""
    tries = 15
    known = [gen_user(db, role="official")["email"] for _ in range(tries)]
    unknown = [new_email() for _ in range(tries)]

    def timed(email: str, n: int) -> float:
        client = client_at(app, f"10.{n // 250}.{n % 250}.1")
        start = time.perf_counter()
        assert client.post("/api/v1/auth/token", json={"email": email, "password": WRONG}).status_code == 401
        return time.perf_counter() - start

    times = {"known": [], "unknown": []}
    for n in range(tries):  # interleaved, so load on the machine hits both alike
        times["known"].append(timed(known[n], 2 * n))
        times["unknown"].append(timed(unknown[n], 2 * n + 1))
    ratio = statistics.median(times["unknown"]) / statistics.median(times["known"])
    assert 0.5 <= ratio <= 2.0, {k: round(statistics.median(v) * 1000, 1) for k, v in times.items()}


def test_verify_password_without_an_account_is_false():
    assert accounts.verify_password(None, "anything-at-all") is False
    assert accounts.verify_password(None, "") is False
