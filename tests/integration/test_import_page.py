"""The import page's staged uploads on the real graph server: preview keeps the file, confirm imports it."""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
from pathlib import Path

import pytest

from graph import enterprises as enterprise_repo
from graph import items as item_repo
from tests.helpers import HOME, SYSTEM, gen_enterprise, gen_user, uid

TOKEN = re.compile(r'name="token" value="([^"]+)"')
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
CATEGORY = "nev.lightweight-castings"


class Page:
    """A signed-in test client (English pages) that speaks the import forms."""

    def __init__(self, app, user, lang: str = "en"):
        self.client, self.user = app.test_client(), user
        self.client.get(f"/login?lang={lang}")
        response = self.client.post("/login", data={"email": user["email"], "password": user["password"],
                                                    "csrf_token": self.csrf("/login")})
        assert response.status_code == 302, response.get_data(as_text=True)[:400]

    def csrf(self, path: str = "/imports") -> str:
        return CSRF.search(self.client.get(path).get_data(as_text=True)).group(1)

    def preview(self, kind: str, content: bytes, filename: str = "list.csv", **form):
        data = {"kind": kind, "action": "preview", "csrf_token": self.csrf(),
                "file": (io.BytesIO(content), filename), **form}
        return self.client.post("/imports", data=data, content_type="multipart/form-data")

    def staged_token(self, kind: str, content: bytes, filename: str = "list.csv", **form) -> str:
        response = self.preview(kind, content, filename, **form)
        assert response.status_code == 200, response.get_data(as_text=True)[:400]
        return TOKEN.search(response.get_data(as_text=True)).group(1)

    def confirm(self, token: str, mode: str | None = None):
        data = {"token": token, "csrf_token": self.csrf(), **({"mode": mode} if mode else {})}
        return self.client.post("/imports/confirm", data=data)

    def discard(self, token: str):
        return self.client.post("/imports/discard", data={"token": token, "csrf_token": self.csrf()})


def text(response) -> str:
    return " ".join(response.get_data(as_text=True).split())


def staged_files(app) -> list[str]:
    root = Path(app.config["STAGED_UPLOADS_DIR"])
    return sorted(os.listdir(root)) if root.exists() else []


def firm(db, role: str = "sme") -> tuple[dict, dict]:
    enterprise = gen_enterprise(db, role=role)
    return enterprise, gen_user(db, role, enterprise_id=enterprise["id"])


def supply_csv(rows: list[tuple[str, str]]) -> bytes:
    lines = ["id,enterprise_id,name,category,capacity"]
    lines += [f"{item_id},{owner},暂存产品 {item_id},{CATEGORY},10" for item_id, owner in rows]
    return ("\n".join(lines) + "\n").encode()


def enterprises_csv(good: list[str], bad: list[str] = ()) -> bytes:
    lines = ["id,name,role,region"] + [f"{e},暂存企业 {e},sme,成都市双流区" for e in good]
    lines += [f"{e},坏企业 {e},sme,火星市" for e in bad]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def official(app, db):
    return Page(app, gen_user(db, "official"))


def test_preview_keeps_the_file_under_the_var_dir_and_writes_nothing_to_the_graph(app, db, official, tmp_path):
    content = enterprises_csv([uid("E"), uid("E")], bad=[uid("E")])
    response = official.preview("enterprises", content, "firms.csv")
    page = text(response)
    assert response.status_code == 200
    assert "3 rows, 2 valid, 1 rejected, 0 written." in page and "火星市" in page
    assert "Import these rows" in page and "Discard this file" in page
    assert enterprise_repo.count(db) == 0
    token = TOKEN.search(page).group(1)
    assert Path(app.config["STAGED_UPLOADS_DIR"]) == tmp_path / "var" / "staged-uploads"
    assert staged_files(app) == [f"{token}.json", f"{token}.upload"]
    sidecar = json.loads((Path(app.config["STAGED_UPLOADS_DIR"]) / f"{token}.json").read_text())
    assert sidecar["owner"] == official.user["id"] and sidecar["kind"] == "enterprises"
    assert sidecar["filename"] == "firms.csv" and sidecar["size"] == len(content)
    assert sidecar["sha256"] == hashlib.sha256(content).hexdigest() and sidecar["created"]


def test_staged_uploads_follow_the_apps_var_dir_not_the_environment_later(db, tmp_path, monkeypatch):
    """VAR_DIR is read once, into the config (a test config may set it); a later environment change moves nothing."""
    from matchmaker import create_app

    monkeypatch.setenv("VAR_DIR", str(tmp_path / "env-var"))
    monkeypatch.setenv("STAGED_UPLOADS_TTL_SECONDS", "120")
    app = create_app({"TESTING": True, "GRAPH_DB": db, "VAR_DIR": str(tmp_path / "app-var")})
    monkeypatch.setenv("VAR_DIR", str(tmp_path / "elsewhere"))
    assert app.config["STAGED_UPLOADS_DIR"] == str(tmp_path / "app-var" / "staged-uploads")
    assert app.config["STAGED_UPLOADS_TTL_SECONDS"] == 120
    token = Page(app, gen_user(db, "official")).staged_token("enterprises", enterprises_csv([uid("E")]))
    assert (tmp_path / "app-var" / "staged-uploads" / f"{token}.upload").exists()
    assert not (tmp_path / "elsewhere").exists()


def test_confirm_imports_exactly_the_previewed_rows_once(app, db):
    enterprise, user = firm(db)
    page = Page(app, user)
    rows = [(uid("S"), enterprise["id"]), (uid("S"), enterprise["id"])]
    token = page.staged_token("supply", supply_csv(rows))
    assert item_repo.count(db, "supply") == 0
    done = page.confirm(token)
    assert done.status_code == 200
    assert "imported" in text(done) and "2 rows, 2 valid, 0 rejected, 2 written." in text(done)
    for item_id, owner in rows:
        item = item_repo.get(db, "supply", item_id)
        assert item["name"] == f"暂存产品 {item_id}" and item["enterprise_id"] == owner
    assert item_repo.count(db, "supply") == 2
    assert staged_files(app) == []  # consumed
    again = page.confirm(token)
    assert again.status_code == 404 and "already imported or discarded" in text(again)
    assert item_repo.count(db, "supply") == 2


def test_all_or_nothing_keeps_the_upload_and_valid_rows_imports_the_good_ones(app, db, official):
    good, bad = uid("E"), uid("E")
    token = official.staged_token("enterprises", enterprises_csv([good], bad=[bad]))
    refused = official.confirm(token, "all_or_nothing")
    page = text(refused)
    assert refused.status_code == 200 and "nothing imported" in page and "0 written" in page
    assert enterprise_repo.count(db) == 0
    assert TOKEN.search(page).group(1) == token  # offered again, valid rows preselected
    assert re.search(r'value="valid_rows" checked', page)
    done = official.confirm(token, "valid_rows")
    assert "2 rows, 1 valid, 1 rejected, 1 written." in text(done) and "火星市" in text(done)
    assert enterprise_repo.get(db, good) is not None and enterprise_repo.get(db, bad) is None
    assert enterprise_repo.count(db) == 1 and staged_files(app) == []


def test_another_account_can_neither_confirm_nor_discard(app, db, official):
    firm_id = uid("E")
    token = official.staged_token("enterprises", enterprises_csv([firm_id]))
    intruders = (Page(app, gen_user(db, "official")), Page(app, firm(db)[1]))
    before = staged_files(app)
    for intruder in intruders:
        for response in (intruder.confirm(token, "valid_rows"), intruder.discard(token)):
            assert response.status_code == 404 and "belongs to another account" in text(response)
    assert enterprise_repo.get(db, firm_id) is None and staged_files(app) == before
    assert official.confirm(token).status_code == 200 and enterprise_repo.get(db, firm_id) is not None


@pytest.mark.parametrize("token, status, message", [
    ("not-a-token", 422, "not a valid upload token"),
    ("../../secret_key", 422, "not a valid upload token"),
    ("A" * 43, 404, "no longer available"),
])
def test_malformed_and_unknown_tokens_are_refused_and_change_nothing(app, db, official, token, status, message):
    kept = official.staged_token("enterprises", enterprises_csv([uid("E")]))
    before = staged_files(app)
    for response in (official.confirm(token, "valid_rows"), official.discard(token)):
        assert response.status_code == status and message in text(response)
    assert enterprise_repo.count(db) == 0 and staged_files(app) == before
    assert kept in before[0]


def test_a_missing_token_is_a_field_error(official):
    response = official.client.post("/imports/confirm", data={"csrf_token": official.csrf()})
    assert response.status_code == 422 and "<b>token</b>" in response.get_data(as_text=True)


def test_discard_deletes_the_upload(app, db, official):
    token = official.staged_token("enterprises", enterprises_csv([uid("E")]), filename="gone.csv")
    response = official.discard(token)
    assert response.status_code == 302 and response.headers["Location"].endswith("/imports")
    assert "gone.csv was discarded: nothing was imported." in text(official.client.get("/imports"))
    assert staged_files(app) == []
    assert official.confirm(token).status_code == 404 and enterprise_repo.count(db) == 0


def test_expired_uploads_are_refused_and_swept_by_the_next_upload(app, db, official):
    old = official.staged_token("enterprises", enterprises_csv([uid("E")]))
    app.config["STAGED_UPLOADS_TTL_SECONDS"] = 0  # every upload is past its time now
    newer = Page(app, gen_user(db, "official")).staged_token("enterprises", enterprises_csv([uid("E")]))
    assert not any(name.startswith(old) for name in staged_files(app))  # swept by someone else's upload
    assert any(name.startswith(newer) for name in staged_files(app))
    response = official.confirm(old)
    assert response.status_code == 404 and "expired" in text(response)
    assert enterprise_repo.count(db) == 0


def test_an_expired_upload_is_deleted_when_confirmed(app, db, official):
    token = official.staged_token("enterprises", enterprises_csv([uid("E")]))
    app.config["STAGED_UPLOADS_TTL_SECONDS"] = 0
    assert official.confirm(token).status_code == 404
    assert staged_files(app) == [] and enterprise_repo.count(db) == 0


def test_the_upload_size_limit_still_applies(app, official):
    app.config["MAX_CONTENT_LENGTH"] = 4096
    content = enterprises_csv([uid("E") for _ in range(200)])
    assert len(content) > 4096
    assert official.preview("enterprises", content).status_code == 413
    assert staged_files(app) == []


def test_a_firm_cannot_import_another_firms_items_through_a_staged_upload(app, db):
    mine, user = firm(db)
    other = gen_enterprise(db, role="sme")
    page = Page(app, user)
    own_id, foreign_id, taken_id = uid("S"), uid("S"), uid("S")
    token = page.staged_token("supply", supply_csv([(own_id, mine["id"]), (foreign_id, other["id"]),
                                                    (taken_id, mine["id"])]))
    # After the preview, the other firm publishes an item with an id the file uses: checked again on confirm.
    from matchmaker.services.items import create_item
    create_item(db, SYSTEM, "supply", {"id": taken_id, "enterprise_id": other["id"], "name": "别家产品",
                                       "category": CATEGORY}, HOME)
    refused = page.confirm(token, "all_or_nothing")
    assert "nothing imported" in text(refused) and item_repo.count(db, "supply") == 1
    done = text(page.confirm(token, "valid_rows"))
    assert "3 rows, 1 valid, 2 rejected, 1 written." in done
    assert "you may import only your own enterprise" in done and "belongs to another enterprise" in done
    assert item_repo.get(db, "supply", own_id)["enterprise_id"] == mine["id"]
    assert item_repo.get(db, "supply", foreign_id) is None
    assert item_repo.get(db, "supply", taken_id)["name"] == "别家产品"


def test_a_firm_cannot_stage_enterprises(app, db):
    page = Page(app, firm(db)[1])
    response = page.preview("enterprises", enterprises_csv([uid("E")]))
    assert response.status_code == 403 and staged_files(app) == []


def test_a_file_without_importable_rows_is_not_kept(app, official):
    response = official.preview("enterprises", enterprises_csv([], bad=[uid("E")]))
    assert response.status_code == 200 and "No row of this file can be imported" in text(response)
    assert staged_files(app) == []


def test_forms_need_the_csrf_token_and_a_session(app, db, official):
    token = official.staged_token("enterprises", enterprises_csv([uid("E")]))
    assert official.client.post("/imports/confirm", data={"token": token}).status_code == 400
    assert official.client.post("/imports/discard", data={"token": token}).status_code == 400
    anonymous = app.test_client()
    csrf = CSRF.search(anonymous.get("/login").get_data(as_text=True)).group(1)
    for path in ("/imports/confirm", "/imports/discard"):
        response = anonymous.post(path, data={"token": token, "csrf_token": csrf})
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert len(staged_files(app)) == 2 and enterprise_repo.count(db) == 0


def test_the_page_speaks_chinese(app, db):
    page = Page(app, gen_user(db, "official"), lang="zh")
    preview = text(page.preview("enterprises", enterprises_csv([uid("E")])))
    assert "导入这些行" in preview and "丢弃此文件" in preview
    assert "此上传文件已不可用" in text(page.confirm("A" * 43))
    assert "上传凭据无效" in text(page.confirm("bad"))
