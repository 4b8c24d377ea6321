"""Server-side sessions: sign-out, timeouts, fixation, deactivation, password change, cookie flags."""
from __future__ import annotations

import hashlib

import pytest

from graph import sessions as session_repo
from graph import users as user_repo
from matchmaker import security
from matchmaker.errors import Invalid, NotFound
from matchmaker.services import accounts
from tests.helpers import gen_enterprise, gen_user
from tests.matrix_helpers import csrf_of

from .signin import client_at, session_id, sign_in


class Clock:
    """Stands in for the `time` module of matchmaker.security: sessions see the time we set."""

    def __init__(self, now: float):
        self.now = now

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = Clock(1_800_000_000.0)
    monkeypatch.setattr(security, "time", fake)
    return fake


@pytest.fixture
def firm(db):
    enterprise = gen_enterprise(db, role="leader")
    return gen_user(db, role="leader", enterprise_id=enterprise["id"])


DEMAND = {"name": "车身线束", "quantity": 100, "unit_price": 500, "category": "nev.electrical-parts",
          "current_supplier_region": "上海市嘉定区", "deadline": "2027-06-30"}


def signed_in(app, user):
    client = client_at(app)
    assert sign_in(client, user["email"], user["password"]).status_code == 302
    assert client.get("/account").status_code == 200
    return client


def replay(app, cookie: str):
    """A fresh browser holding a copy of an old session cookie."""
    other = client_at(app, "10.9.9.9")
    other.set_cookie("session", cookie)
    return other


def stored(db, client) -> dict | None:
    found = session_repo.get(db, hashlib.sha256(session_id(client).encode()).hexdigest())
    return found[0] if found else None


def is_signed_out(client) -> bool:
    response = client.get("/account")
    return response.status_code == 302 and "/login" in response.headers["Location"]


def test_logout_kills_a_copied_cookie_for_pages_and_the_api(app, firm):
    client = signed_in(app, firm)
    cookie = client.get_cookie("session").value
    assert replay(app, cookie).get("/account").status_code == 200  # the copy works while signed in

    assert client.post("/logout", data={"csrf_token": csrf_of(client, "/account")}).status_code == 302
    thief = replay(app, cookie)
    assert is_signed_out(thief)
    created = thief.post("/api/v1/demand-items", json=DEMAND)
    assert created.status_code == 401 and created.get_json()["error"]["code"] == "unauthorized"
    assert thief.get("/api/v1/account").status_code == 401


def test_a_forged_or_unknown_session_id_is_anonymous(app, firm):
    client = client_at(app)
    with client.session_transaction() as session:
        session["_user_id"] = firm["id"]  # the old scheme's user id is no session id
    assert is_signed_out(client)
    with client.session_transaction() as session:
        session["_user_id"] = "x" * 5000
    assert is_signed_out(client)
    tampered = client_at(app)
    tampered.set_cookie("session", "eyJfdXNlcl9pZCI6InUtMSJ9.AAAA.forged")
    assert is_signed_out(tampered)


def test_idle_timeout_and_activity_refresh(app, db, firm, clock):
    client = signed_in(app, firm)
    first = stored(db, client)["last_seen"]
    clock.now += 30
    assert client.get("/account").status_code == 200
    assert stored(db, client)["last_seen"] == first  # not a write per request
    clock.now += 119 * 60
    assert client.get("/account").status_code == 200  # 119.5 min idle < 120: refreshed now
    assert stored(db, client)["last_seen"] == clock.now
    clock.now += 121 * 60
    assert is_signed_out(client)
    assert stored(db, client) is None  # the ended session's record is deleted


def test_idle_timeout_follows_the_config(app, firm, clock):
    app.config["SESSION_IDLE_SECONDS"] = 5 * 60
    client = signed_in(app, firm)
    clock.now += 4 * 60
    assert client.get("/account").status_code == 200
    clock.now += 6 * 60
    assert is_signed_out(client)


def test_absolute_timeout_even_when_active(app, firm, clock):
    client = signed_in(app, firm)
    for _ in range(7):  # 7 x 100 min = 11 h 40 min, never idle
        clock.now += 100 * 60
        assert client.get("/account").status_code == 200
    clock.now += 21 * 60  # 12 h 1 min after sign-in
    assert is_signed_out(client)


def test_every_sign_in_gets_a_new_session_id_and_drops_planted_data(app, firm):
    client = client_at(app)
    with client.session_transaction() as session:
        session["_user_id"] = "planted-by-an-attacker"
        session["planted"] = "x"
        session["lang"] = "en"
    assert sign_in(client, firm["email"], firm["password"]).status_code == 302
    first = session_id(client)
    assert first != "planted-by-an-attacker"
    with client.session_transaction() as session:
        assert "planted" not in session and session["lang"] == "en"  # the language survives
    assert sign_in(client, firm["email"], firm["password"]).status_code == 302
    assert session_id(client) not in (None, first)


def test_deactivated_account_loses_its_sessions(app, db, firm):
    client = signed_in(app, firm)
    cookie = client.get_cookie("session").value
    accounts.deactivate(db, firm["id"])
    assert is_signed_out(client) and is_signed_out(replay(app, cookie))


def test_deactivated_by_another_path_is_still_refused(app, db, firm):
    client = signed_in(app, firm)
    user_repo.deactivate(db, firm["id"])  # sessions left in place: resuming checks the account
    assert is_signed_out(client)


def test_password_change_ends_the_sessions(app, db, firm):
    client = signed_in(app, firm)
    accounts.change_password(db, firm["id"], "a-new-password-2")
    assert is_signed_out(client)
    assert sign_in(client_at(app), firm["email"], "a-new-password-2").status_code == 302


def test_a_password_changed_behind_the_service_also_ends_them(app, db, firm):
    client = signed_in(app, firm)
    user_repo.set_password_hash(db, firm["id"], "scrypt:32768:8:1$x$y")
    assert is_signed_out(client)


@pytest.mark.parametrize("password", ["short", "", "x" * 201, "ten chars\x00!"])
def test_change_password_refuses_bad_passwords(db, firm, password):
    with pytest.raises(Invalid) as exc:
        accounts.change_password(db, firm["id"], password)
    assert "password" in exc.value.fields


def test_deactivating_or_changing_an_unknown_account_is_404(db):
    with pytest.raises(NotFound):
        accounts.deactivate(db, "u-nobody")
    with pytest.raises(NotFound):
        accounts.change_password(db, "u-nobody", "long-enough-pw")


def test_session_and_device_cookies_are_httponly_lax_and_not_secure_in_development(app, firm):
    response = sign_in(client_at(app), firm["email"], firm["password"])
    cookies = response.headers.getlist("Set-Cookie")
    for name in ("session=", "device="):
        cookie = next(c for c in cookies if c.startswith(name))
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie, cookie


def test_cookies_are_secure_in_production(db, tmp_path, monkeypatch):
    monkeypatch.setenv("MATCHMAKER_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-test-secret-key-of-enough-length")
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    from matchmaker import create_app

    app = create_app({"TESTING": True, "GRAPH_DB": db, "MATCH_BUILDER_THREAD": False, "ALERT_BACKGROUND": False})
    user = gen_user(db, role="official")
    response = sign_in(client_at(app), user["email"], user["password"])
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    assert all("Secure" in c and "HttpOnly" in c for c in cookies if c.startswith(("session=", "device="))), cookies
