"""Configuration from the environment: bad values are named, good ones applied."""
from __future__ import annotations

import pytest

from matchmaker.config import ConfigError, load_config


@pytest.fixture(autouse=True)
def _var_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    for name in ("HOME_REGION", "MAX_UPLOAD_MB", "GRAPH_BOLT_PORT", "SECRET_KEY", "STAGED_UPLOADS_TTL_SECONDS"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("name, value, message", [
    ("MAX_UPLOAD_MB", "lots", "MAX_UPLOAD_MB='lots' is not a whole number"),
    ("MAX_UPLOAD_MB", "0", "MAX_UPLOAD_MB=0 must be at least 1"),
    ("GRAPH_BOLT_PORT", "-1", "GRAPH_BOLT_PORT=-1 must be at least 0"),
    ("HOME_REGION", "5101", "HOME_REGION='5101' must be a 6-digit GB/T 2260 code"),
    ("STAGED_UPLOADS_TTL_SECONDS", "0", "STAGED_UPLOADS_TTL_SECONDS=0 must be at least 1"),
    ("MATCH_ENCODER", "e5", "MATCH_ENCODER='e5' must be one of: use, none"),
    ("MATCH_REFRESH_MS", "soon", "MATCH_REFRESH_MS='soon' is not a whole number"),
    ("MATCH_REFRESH_MS", "-5", "MATCH_REFRESH_MS=-5 must be at least 0"),
    ("POTENTIAL_RECHECK_SECONDS", "10", "POTENTIAL_RECHECK_SECONDS=10 must be at least 60"),
    ("POTENTIAL_RECHECK_SECONDS", "hourly", "POTENTIAL_RECHECK_SECONDS='hourly' is not a whole number"),
])
def test_bad_values_name_the_variable(monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_config()


def test_good_values_and_a_secret_key_kept_between_starts(monkeypatch, tmp_path):
    monkeypatch.setenv("MAX_UPLOAD_MB", "5")
    monkeypatch.setenv("HOME_REGION", "500000")
    first = load_config()
    assert first["MAX_CONTENT_LENGTH"] == 5 * 1024 * 1024 and first["HOME_REGION"] == "500000"
    assert load_config()["SECRET_KEY"] == first["SECRET_KEY"]
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_var_dir_and_the_staged_upload_lifetime_are_in_the_config(monkeypatch, tmp_path):
    assert load_config()["VAR_DIR"] == str(tmp_path)
    assert load_config()["STAGED_UPLOADS_TTL_SECONDS"] == 3600
    monkeypatch.setenv("STAGED_UPLOADS_TTL_SECONDS", "600")
    assert load_config()["STAGED_UPLOADS_TTL_SECONDS"] == 600


def test_processes_starting_together_share_one_secret_key(tmp_path):
    import multiprocessing

    from matchmaker.config import _secret_key

    with multiprocessing.get_context("fork").Pool(4) as pool:
        keys = pool.map(_secret_key, [tmp_path] * 16)
    assert len(set(keys)) == 1 and keys[0] == (tmp_path / "secret_key").read_text().strip()
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no temporary files left
