"""Import jobs on the real graph server: a 5,000-row file imports off the request thread, its progress
moves, its items are there when done, and another app instance on the same graph answers for it;
who may read a job; bad input; an interrupted job's advice, in Chinese and English."""
from __future__ import annotations

import io
import re
import time

import pytest

from graph import import_jobs as job_repo
from graph import items as item_repo
from matchmaker.services import import_jobs
from tests.helpers import bearer, firm_with_token, gen_token, gen_user, page_sign_in, uid

CATEGORY = "nev.lightweight-castings"
ROWS = 5000


def supply_csv(owner: str, ids: list[str]) -> bytes:
    lines = ["id,enterprise_id,name,category,capacity"] + [f"{i},{owner},批量产品 {i},{CATEGORY},10" for i in ids]
    return ("\n".join(lines) + "\n").encode()


def new_app(db, tmp_path, **config):
    from matchmaker import create_app

    return create_app({"TESTING": True, "GRAPH_DB": db, "HOME_REGION": "510100", "MATCH_BUILDER_THREAD": False,
                       "MATCH_REFRESH_MS": 0, "ALERT_BACKGROUND": False, "VAR_DIR": str(tmp_path / "var"),
                       "MATCH_ENCODER": "none", **config})


@pytest.fixture
def jobs_app(db, tmp_path, monkeypatch):
    """An app whose every file import is a job; it waits for its jobs when the test ends."""
    monkeypatch.delenv("NEO4J_URI", raising=False)
    app = new_app(db, tmp_path, IMPORT_JOB_MIN_BYTES=0)
    yield app
    app.extensions["import_jobs"].shutdown()


def post_file(client, token: str, content: bytes, kind: str = "supply", query: str = "?async=1", **form):
    return client.post(f"/api/v1/imports{query}", headers=bearer(token), content_type="multipart/form-data",
                       data={"kind": kind, "file": (io.BytesIO(content), f"{kind}.csv"), **form})


def wait_for(client, token: str, job_id: str, seconds: float = 120) -> dict:
    deadline = time.time() + seconds
    while time.time() < deadline:
        job = client.get(f"/api/v1/import-jobs/{job_id}", headers=bearer(token)).get_json()["data"]
        if job["finished"]:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish: {job}")


def test_a_large_file_imports_as_a_job_whose_progress_moves(jobs_app, db, tmp_path, monkeypatch):
    monkeypatch.setattr(import_jobs, "PROGRESS_SECONDS", 0)  # every progress step written, to watch it
    written = []
    real_update = job_repo.update

    def watched(db_, job_id, changes):
        written.append(dict(changes))
        return real_update(db_, job_id, changes)

    monkeypatch.setattr(job_repo, "update", watched)
    enterprise, _, token = firm_with_token(db, "sme")
    ids = [uid("S") for _ in range(ROWS)]
    client = jobs_app.test_client()

    started = post_file(client, token, supply_csv(enterprise["id"], ids))
    assert started.status_code == 202, started.get_json()
    job = started.get_json()["data"]
    assert started.headers["Location"] == f"/api/v1/import-jobs/{job['id']}"
    assert job["state"] == "queued" and job["owner_id"] and job["enterprise_id"] == enterprise["id"]

    done = wait_for(client, token, job["id"])
    assert done["state"] == "done" and done["error"] is None, done
    assert done["rows_total"] == done["rows_validated"] == done["rows_written"] == ROWS
    assert done["report"]["applied"] and done["report"]["written"] == ROWS and done["report"]["errors"] == []
    assert done["started_at"] and done["finished_at"] >= done["started_at"]
    states = [w["state"] for w in written if "state" in w]
    assert states == ["validating", "writing", "done"]
    validated = [w["rows_validated"] for w in written if "rows_validated" in w and "state" not in w]
    assert validated == sorted(validated) and len(validated) > 10  # reading moved row by row
    assert [w["rows_written"] for w in written if "rows_written" in w and "state" not in w] == [2000, 4000, 5000]
    for item_id in (ids[0], ids[ROWS // 2], ids[-1]):
        assert item_repo.get(db, "supply", item_id)["enterprise_id"] == enterprise["id"]

    other_host = new_app(db, tmp_path / "second")  # another worker or host, sharing only the graph
    seen = other_host.test_client().get(f"/api/v1/import-jobs/{job['id']}", headers=bearer(token))
    assert seen.status_code == 200 and seen.get_json()["data"] == done
    listed = other_host.test_client().get("/api/v1/import-jobs", headers=bearer(token)).get_json()["data"]
    assert [j["id"] for j in listed] == [job["id"]]


def test_the_api_imports_in_the_request_unless_asked(jobs_app, db):
    """Even over the pages' job threshold (0 here): API clients written before jobs keep their answer."""
    enterprise, _, token = firm_with_token(db, "sme")
    client = jobs_app.test_client()
    for query in ("", "?async=0"):
        inline = post_file(client, token, supply_csv(enterprise["id"], [uid("S")]), query=query)
        assert inline.status_code == 200 and inline.get_json()["data"]["written"] == 1
    item_id = uid("S")
    asked = post_file(client, token, supply_csv(enterprise["id"], [item_id]), dry_run="true")
    assert asked.status_code == 202
    done = wait_for(client, token, asked.get_json()["data"]["id"])
    assert done["state"] == "done" and done["dry_run"] and not done["report"]["applied"]
    assert done["report"]["accepted"] == 1 and item_repo.get(db, "supply", item_id) is None


def test_small_files_stay_in_the_request_on_the_page(app, db):
    enterprise, user, _ = firm_with_token(db, "sme")
    item_id = uid("S")
    response = upload(signed_in(app, user, "en"), supply_csv(enterprise["id"], [item_id]))
    assert response.status_code == 200 and item_repo.get(db, "supply", item_id) is not None


def test_only_the_owner_officials_and_admins_see_a_job(jobs_app, db):
    enterprise, owner, token = firm_with_token(db, "sme")
    client = jobs_app.test_client()
    job = post_file(client, token, supply_csv(enterprise["id"], [uid("S")])).get_json()["data"]
    wait_for(client, token, job["id"])
    path = f"/api/v1/import-jobs/{job['id']}"
    for role in ("official", "admin"):
        assert client.get(path, headers=bearer(gen_token(db, gen_user(db, role)))).status_code == 200
    _, _, stranger = firm_with_token(db, "sme")
    _, _, leader = firm_with_token(db, "leader")
    colleague = gen_token(db, gen_user(db, "sme", enterprise_id=enterprise["id"]))
    for other in (stranger, leader, colleague):
        refused = client.get(path, headers=bearer(other))
        unknown = client.get("/api/v1/import-jobs/J-nothing", headers=bearer(other))
        assert refused.status_code == unknown.status_code == 404
        assert refused.get_json() == unknown.get_json()  # no telling another's job from none
        assert client.get("/api/v1/import-jobs", headers=bearer(other)).get_json()["data"] == []
    assert client.get(path).status_code == 401
    assert client.get("/api/v1/import-jobs").status_code == 401


@pytest.mark.parametrize("query, field", [("?async=maybe", "async"), ("?async=1&asynch=1", "asynch")])
def test_bad_import_queries_are_field_errors(jobs_app, db, query, field):
    enterprise, _, token = firm_with_token(db, "sme")
    response = post_file(jobs_app.test_client(), token, supply_csv(enterprise["id"], [uid("S")]), query=query)
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"]
    assert job_repo.of_owner(db, "nobody", 5) == []


@pytest.mark.parametrize("query, field", [("?limit=0", "limit"), ("?limit=lots", "limit"), ("?page=2", "page")])
def test_bad_list_queries_are_field_errors(jobs_app, db, query, field):
    _, _, token = firm_with_token(db, "sme")
    response = jobs_app.test_client().get(f"/api/v1/import-jobs{query}", headers=bearer(token))
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"]


def test_a_firm_cannot_start_an_enterprise_import_job(jobs_app, db):
    _, user, token = firm_with_token(db, "sme")
    response = post_file(jobs_app.test_client(), token, b"id,name,role,region\nE-x,x,sme,510116\n",
                         kind="enterprises")
    assert response.status_code == 403
    assert job_repo.of_owner(db, user["id"], 5) == []


@pytest.mark.parametrize("content, words", [
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, "not"),
    ("名称,数量\n齿轮,1\n".encode(), "column"),
], ids=["binary", "wrong columns"])
def test_a_hostile_or_wrong_file_fails_its_job_with_the_reason(jobs_app, db, content, words):
    enterprise, _, token = firm_with_token(db, "sme")
    client = jobs_app.test_client()
    job = post_file(client, token, content).get_json()["data"]
    failed = wait_for(client, token, job["id"])
    assert failed["state"] == "failed" and failed["report"] is None
    assert words in failed["error"]["message"] and failed["error"]["fields"]


# -- the pages --------------------------------------------------------------------------------------

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def signed_in(app, user, lang: str):
    client = app.test_client()
    client.get(f"/login?lang={lang}")
    page_sign_in(client, user)
    return client


def upload(client, content: bytes, action: str = "import"):
    csrf = CSRF.search(client.get("/imports").get_data(as_text=True)).group(1)
    return client.post("/imports", content_type="multipart/form-data", data={
        "kind": "supply", "action": action, "csrf_token": csrf, "file": (io.BytesIO(content), "list.csv")})


def page_until_finished(client, path: str) -> str:
    deadline = time.time() + 60
    while time.time() < deadline:
        html = client.get(path).get_data(as_text=True)
        if 'http-equiv="refresh"' not in html:
            return html
        time.sleep(0.2)
    raise AssertionError("the job page kept refreshing")


@pytest.mark.parametrize("lang, words", [("en", ["imported", "Finished", "rows written"]),
                                         ("zh", ["已导入", "已完成"])])
def test_the_page_goes_to_the_job_page_which_refreshes_until_the_report(jobs_app, db, lang, words):
    enterprise, user, _ = firm_with_token(db, "sme")
    client = signed_in(jobs_app, user, lang)
    ids = [uid("S") for _ in range(300)]
    response = upload(client, supply_csv(enterprise["id"], ids))
    assert response.status_code == 302 and "/imports/jobs/J-" in response.headers["Location"]
    path = response.headers["Location"]
    first = client.get(path).get_data(as_text=True)
    assert "<script" not in first
    html = page_until_finished(client, path)
    for word in words[:2]:
        assert word in html, word
    assert item_repo.get(db, "supply", ids[-1]) is not None
    listing = client.get("/imports").get_data(as_text=True)
    assert path in listing


def test_a_confirmed_preview_runs_as_a_job_and_is_consumed(jobs_app, db):
    enterprise, user, _ = firm_with_token(db, "sme")
    client = signed_in(jobs_app, user, "en")
    item_id = uid("S")
    preview = upload(client, supply_csv(enterprise["id"], [item_id]), action="preview").get_data(as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', preview).group(1)
    csrf = CSRF.search(client.get("/imports").get_data(as_text=True)).group(1)
    response = client.post("/imports/confirm", data={"token": token, "csrf_token": csrf})
    assert response.status_code == 302 and "/imports/jobs/" in response.headers["Location"]
    page_until_finished(client, response.headers["Location"])
    assert item_repo.get(db, "supply", item_id) is not None
    again = client.post("/imports/confirm", data={"token": token, "csrf_token": csrf})
    assert again.status_code == 404  # consumed, as an import in the request consumes it


@pytest.mark.parametrize("lang, words", [("en", "There is no such import job"), ("zh", "没有这个导入任务")])
def test_unknown_and_others_jobs_are_one_clear_404_page(jobs_app, db, lang, words):
    owner_firm, owner, token = firm_with_token(db, "sme")
    job = post_file(jobs_app.test_client(), token, supply_csv(owner_firm["id"], [uid("S")])).get_json()["data"]
    _, stranger, _ = firm_with_token(db, "sme")
    client = signed_in(jobs_app, stranger, lang)
    for path in (f"/imports/jobs/{job['id']}", "/imports/jobs/J-nothing", "/imports/jobs/%00"):
        response = client.get(path)
        assert response.status_code == 404 and words in response.get_data(as_text=True), path
    assert jobs_app.test_client().get(f"/imports/jobs/{job['id']}").status_code == 302  # sign in first


@pytest.mark.parametrize("lang, words", [("en", "importing the same file again completes it"),
                                         ("zh", "再次导入同一文件")])
def test_an_interrupted_job_shows_the_rerun_advice(jobs_app, db, lang, words):
    _, user, token = firm_with_token(db, "sme")
    stale = time.time() - jobs_app.config["IMPORT_JOB_STALE_SECONDS"] - 5
    job = {**import_jobs.new_job(_principal(user), "supply", "big.csv", "all_or_nothing", False, stale - 60),
           "state": "writing", "rows_total": 9000, "rows_written": 4000, "heartbeat_at": stale}
    job_repo.create(db, job)
    api = jobs_app.test_client().get(f"/api/v1/import-jobs/{job['id']}", headers=bearer(token)).get_json()["data"]
    assert api["state"] == "interrupted" and api["finished"] and "never twice" in api["error"]["message"]
    html = signed_in(jobs_app, user, lang).get(f"/imports/jobs/{job['id']}").get_data(as_text=True)
    assert words in html and 'http-equiv="refresh"' not in html


def _principal(user):
    from matchmaker.services.permissions import Principal
    return Principal.of(user)


def test_a_fourth_unfinished_job_of_an_account_is_refused(jobs_app, db):
    enterprise, user, token = firm_with_token(db, "sme")
    for _ in range(import_jobs.MAX_UNFINISHED):  # waiting, with a fresh heartbeat
        job_repo.create(db, import_jobs.new_job(_principal(user), "supply", "w.csv", "all_or_nothing", False,
                                                time.time()))
    response = post_file(jobs_app.test_client(), token, supply_csv(enterprise["id"], [uid("S")]))
    assert response.status_code == 429 and response.get_json()["error"]["message"] == import_jobs.BUSY
    assert len(job_repo.of_owner(db, user["id"], 10)) == import_jobs.MAX_UNFINISHED
    html = upload(signed_in(jobs_app, user, "zh"), supply_csv(enterprise["id"], [uid("S")])).get_data(as_text=True)
    assert "您已有三个导入正在等待或进行中" in html
