"""The staged-upload store on a temporary directory, with a clock the tests move."""
from __future__ import annotations

import hashlib
import json
import os
import stat
from datetime import datetime, timedelta, timezone

import pytest

from matchmaker.errors import Conflict, Invalid, NotFound, Unauthorized
from matchmaker.services import staged_uploads
from matchmaker.services.imports import ImportReport
from matchmaker.services.permissions import ANONYMOUS, Principal
from matchmaker.services.staged_uploads import GONE, MALFORMED, StagedStore, TooLarge

DATA = "id,name,role,region\nE-1,企业,sme,510116\n".encode()


class Clock:
    def __init__(self):
        self.now = datetime(2030, 1, 1, 8, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def store(tmp_path, clock):
    return StagedStore(tmp_path / "staged", clock=clock, max_bytes=1000)


def files(store) -> list[str]:
    return sorted(os.listdir(store.root)) if store.root.exists() else []


def test_put_keeps_the_bytes_and_a_sidecar(store, clock):
    staged = store.put("u-1", "enterprises", "firms.csv", DATA)
    assert len(staged.token) == 43
    assert files(store) == sorted([f"{staged.token}.json", f"{staged.token}.upload"])
    sidecar = json.loads((store.root / f"{staged.token}.json").read_text())
    assert sidecar == {"token": staged.token, "owner": "u-1", "kind": "enterprises", "filename": "firms.csv",
                       "size": len(DATA), "sha256": hashlib.sha256(DATA).hexdigest(),
                       "created": clock.now.isoformat()}
    assert (store.root / f"{staged.token}.upload").read_bytes() == DATA
    for name in files(store):
        assert stat.S_IMODE((store.root / name).stat().st_mode) == 0o600
    assert store.get(staged.token, "u-1") == staged


def test_only_the_owner_sees_an_upload(store):
    staged = store.put("u-1", "supply", "s.csv", DATA)
    with pytest.raises(NotFound) as refused:
        store.get(staged.token, "u-2")
    assert refused.value.message == GONE
    with pytest.raises(NotFound):
        store.claim(staged.token, "u-2")
    with pytest.raises(NotFound):
        store.discard(staged.token, "u-2")
    assert store.get(staged.token, "u-1") == staged  # the refused attempts changed nothing


@pytest.mark.parametrize("token", ["", "abc", "../../etc/passwd", "x" * 42 + "/", "ä" * 43, "A" * 44])
def test_malformed_tokens_are_invalid(store, token):
    store.put("u-1", "supply", "s.csv", DATA)
    with pytest.raises(Invalid) as refused:
        store.get(token, "u-1")
    assert refused.value.message == MALFORMED and refused.value.fields == {"token": [MALFORMED]}


def test_unknown_token_is_not_found(store):
    with pytest.raises(NotFound):
        store.get("A" * 43, "u-1")


def test_a_claim_takes_the_upload_once(store):
    staged = store.put("u-1", "supply", "s.csv", DATA)
    claim = store.claim(staged.token, "u-1")
    assert claim.data == DATA and claim.staged == staged
    with pytest.raises(NotFound):  # a second confirm while the first runs
        store.claim(staged.token, "u-1")
    store.release(claim, consumed=True)
    assert files(store) == []
    with pytest.raises(NotFound):
        store.claim(staged.token, "u-1")


def test_an_unconsumed_claim_is_put_back(store):
    staged = store.put("u-1", "supply", "s.csv", DATA)
    store.release(store.claim(staged.token, "u-1"), consumed=False)
    assert store.claim(staged.token, "u-1").data == DATA


def test_a_changed_file_is_refused_and_removed(store):
    staged = store.put("u-1", "supply", "s.csv", DATA)
    (store.root / f"{staged.token}.upload").write_bytes(DATA.replace(b"E-1", b"E-2"))
    with pytest.raises(Conflict):
        store.claim(staged.token, "u-1")
    assert files(store) == []


def test_discard_deletes(store):
    staged = store.put("u-1", "supply", "s.csv", DATA)
    assert store.discard(staged.token, "u-1") == staged
    assert files(store) == []
    with pytest.raises(NotFound):
        store.discard(staged.token, "u-1")


def test_uploads_expire_after_the_ttl(store, clock):
    staged = store.put("u-1", "supply", "s.csv", DATA)
    clock.advance(minutes=59, seconds=59)
    assert store.get(staged.token, "u-1") == staged
    clock.advance(seconds=1)
    with pytest.raises(NotFound):
        store.get(staged.token, "u-1")
    assert files(store) == []  # the expired upload is deleted when it is asked for


def test_any_put_sweeps_expired_uploads_of_everyone(store, clock):
    old = store.put("u-1", "supply", "s.csv", DATA)
    clock.advance(hours=2)
    new = store.put("u-2", "demand", "d.csv", DATA)
    assert files(store) == sorted([f"{new.token}.json", f"{new.token}.upload"])
    assert old.token not in "".join(files(store))


def test_sweep_removes_old_leftovers_only(store, clock):
    staged = store.put("u-1", "supply", "s.csv", DATA)
    stale = store.root / ".orphan.upload.1234.tmp"
    fresh = store.root / f"{'B' * 43}.upload"  # an upload whose sidecar is still being written
    stale.write_bytes(b"x")
    fresh.write_bytes(b"x")
    hour_ago = (clock.now - timedelta(hours=1, seconds=1)).timestamp()
    os.utime(stale, (hour_ago, hour_ago))
    fresh_time = clock.now.timestamp()
    os.utime(fresh, (fresh_time, fresh_time))
    assert store.sweep() == 1
    assert sorted(files(store)) == sorted([f"{staged.token}.json", f"{staged.token}.upload", fresh.name])


def test_an_owner_keeps_the_newest_few(store, clock):
    mine = []
    for n in range(staged_uploads.MAX_PER_OWNER + 2):
        mine.append(store.put("u-1", "supply", f"{n}.csv", DATA))
        clock.advance(seconds=1)
    other = store.put("u-2", "supply", "other.csv", DATA)
    kept = {s.token for s in store.of_owner("u-1")}
    assert kept == {s.token for s in mine[-staged_uploads.MAX_PER_OWNER:]}
    assert store.get(other.token, "u-2") == other


def test_the_size_limit_applies(store):
    with pytest.raises(TooLarge) as refused:
        store.put("u-1", "supply", "big.csv", b"x" * 1001)
    assert refused.value.status == 413
    assert files(store) == []
    assert store.put("u-1", "supply", "ok.csv", b"x" * 1000).size == 1000


def test_sidecars_that_are_not_uploads_are_ignored(store):
    store.root.mkdir(parents=True)
    (store.root / f"{'C' * 43}.json").write_text("{not json")
    assert store.of_owner("u-1") == []
    with pytest.raises(NotFound):
        store.get("C" * 43, "u-1")


# -- the service steps, with a stand-in for the import (no graph here) ---------------------

def test_confirm_puts_the_upload_back_when_the_import_fails(store, monkeypatch):
    staged = store.put("u-1", "supply", "s.csv", DATA)

    def failing_import(*args, **kwargs):
        raise RuntimeError("graph down")

    monkeypatch.setattr(staged_uploads, "import_file", failing_import)
    with pytest.raises(RuntimeError):
        staged_uploads.confirm(None, store, Principal("u-1", "sme", "E-1"), staged.token, home_region="510100")
    assert store.get(staged.token, "u-1") == staged


@pytest.mark.parametrize("applied", [True, False])
def test_confirm_consumes_only_an_applied_import(store, monkeypatch, applied):
    staged = store.put("u-1", "supply", "s.csv", DATA)
    seen = {}

    def fake_import(db, kind, data, filename, **kwargs):
        seen.update(kind=kind, data=data, filename=filename, **kwargs)
        return ImportReport(kind, filename, kwargs["mode"], applied=applied)

    monkeypatch.setattr(staged_uploads, "import_file", fake_import)
    principal = Principal("u-1", "sme", "E-1")
    report, kept = staged_uploads.confirm(None, store, principal, staged.token, home_region="510100",
                                          mode="valid_rows")
    assert seen == {"kind": "supply", "data": DATA, "filename": "s.csv", "home_region": "510100",
                    "mode": "valid_rows", "principal": principal}
    assert report.applied is applied
    assert (kept == staged) is (not applied)
    assert (files(store) == []) is applied


def test_anonymous_callers_are_refused(store):
    staged = store.put("u-1", "supply", "s.csv", DATA)
    with pytest.raises(Unauthorized):
        staged_uploads.confirm(None, store, ANONYMOUS, staged.token, home_region="510100")
    with pytest.raises(Unauthorized):
        staged_uploads.discard(store, ANONYMOUS, staged.token)
