"""The environment setting: production needs SECRET_KEY and secure cookies; development is the local demo."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from matchmaker.config import ConfigError, load_config

ROOT = Path(__file__).resolve().parents[2]
NAMES = ("MATCHMAKER_ENV", "SECRET_KEY", "SESSION_COOKIE_SECURE", "SESSION_IDLE_MINUTES", "SESSION_MAX_HOURS",
         "HSTS_SECONDS", "PROXY_HOPS")


@pytest.fixture(autouse=True)
def _clean_env(tmp_path, monkeypatch):
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)


def test_production_is_the_default_and_needs_a_secret_key(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY must be set when MATCHMAKER_ENV=production"):
        load_config()
    assert not (tmp_path / "secret_key").exists()  # nothing generated behind the operator's back


def test_production_with_a_secret_key_has_secure_cookies(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "s3cret-from-the-vault")
    config = load_config()
    assert config["SECRET_KEY"] == "s3cret-from-the-vault" and config["MATCHMAKER_ENV"] == "production"
    assert config["SESSION_COOKIE_SECURE"] is True and config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_development_generates_a_key_and_allows_plain_http(monkeypatch, tmp_path):
    monkeypatch.setenv("MATCHMAKER_ENV", "development")
    config = load_config()
    assert config["SECRET_KEY"] == (tmp_path / "secret_key").read_text().strip()
    assert config["SESSION_COOKIE_SECURE"] is False


def test_session_lifetimes_default_and_configurable(monkeypatch):
    monkeypatch.setenv("MATCHMAKER_ENV", "development")
    config = load_config()
    assert config["SESSION_IDLE_SECONDS"] == 120 * 60 and config["SESSION_MAX_SECONDS"] == 12 * 3600
    assert config["PERMANENT_SESSION_LIFETIME"] == 12 * 3600
    monkeypatch.setenv("SESSION_IDLE_MINUTES", "15")
    monkeypatch.setenv("SESSION_MAX_HOURS", "2")
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "1")
    config = load_config()
    assert config["SESSION_IDLE_SECONDS"] == 900 and config["SESSION_MAX_SECONDS"] == 7200
    assert config["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize("name, value, message", [
    ("MATCHMAKER_ENV", "staging", "MATCHMAKER_ENV='staging' must be one of: development, production"),
    ("SESSION_IDLE_MINUTES", "0", "SESSION_IDLE_MINUTES=0 must be at least 1"),
    ("SESSION_IDLE_MINUTES", "2h", "SESSION_IDLE_MINUTES='2h' is not a whole number"),
    ("SESSION_MAX_HOURS", "0", "SESSION_MAX_HOURS=0 must be at least 1"),
    ("SESSION_IDLE_MINUTES", "721", "SESSION_IDLE_MINUTES=721 must not exceed SESSION_MAX_HOURS=12"),
    ("SESSION_COOKIE_SECURE", "yes", "SESSION_COOKIE_SECURE='yes' must be 0 or 1"),
    ("HSTS_SECONDS", "-1", "HSTS_SECONDS=-1 must be at least 0"),
    ("PROXY_HOPS", "one", "PROXY_HOPS='one' is not a whole number"),
])
def test_bad_values_name_the_variable(monkeypatch, name, value, message):
    monkeypatch.setenv("MATCHMAKER_ENV", "development")
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_config()


def _cli(env: dict) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in NAMES}
    return subprocess.run([sys.executable, "-m", "matchmaker", "--help"], cwd=ROOT, env={**base, **env},
                          capture_output=True, text=True, timeout=120)


def test_the_command_line_is_the_local_demo_unless_told_otherwise(tmp_path):
    assert _cli({"VAR_DIR": str(tmp_path)}).returncode == 0  # `make run` on a fresh machine: no variables
    refused = _cli({"VAR_DIR": str(tmp_path), "MATCHMAKER_ENV": "production"})
    assert refused.returncode == 2 and "SECRET_KEY" in refused.stderr
