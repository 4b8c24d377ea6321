"""The home page says what the platform does for each kind of user, searches the lists and invites sign-up;
the item page shows times and its change history for people (issue 11, parts 3 and 7)."""
from __future__ import annotations

import json
import re

from tests.helpers import gen_user
from tests.matrix_helpers import csrf_of


def _signed_in(app, user):
    client = app.test_client()
    answer = client.post("/login", data={"email": user["email"], "password": user["password"],
                                         "csrf_token": csrf_of(client)})
    assert answer.status_code == 302
    return client


def test_home_page_says_what_the_platform_is_for_in_both_languages(client, db):
    zh = client.get("/?lang=zh").get_data(as_text=True)
    for text in ("本地区产业链供需对接平台", "链主企业", "中小企业", "政府部门", "重点产业链", 'action="/search"',
                 'href="/signup"', 'href="/login"', "新能源汽车"):
        assert text in zh, text
    en = client.get("/?lang=en").get_data(as_text=True)
    for text in ("For chain leaders", "For SMEs", "For officials", "Key industry chains", "Sign up your firm"):
        assert text in en, text
    assert zh.count('<li class="card">') == 17


def test_signed_in_users_see_their_most_used_links_instead_of_sign_up(app, db):
    sme = _signed_in(app, gen_user(db, "sme")).get("/?lang=en").get_data(as_text=True)
    assert 'href="/signup"' not in sme and 'class="button" href="/opportunities"' in sme
    official = _signed_in(app, gen_user(db, "official")).get("/?lang=en").get_data(as_text=True)
    assert 'class="button" href="/dashboard"' in official and 'class="button" href="/accounts/pending"' in official


def test_the_search_box_leads_to_the_supply_list_by_default_or_the_demand_list(client, db):
    default = client.get("/search?q=电池")
    assert default.status_code == 302 and default.headers["Location"].startswith("/supply?q=")
    demand = client.get("/search?q=IGBT&kind=demand")
    assert demand.headers["Location"] == "/demand?q=IGBT"
    odd = client.get("/search?kind=<script>&q=")
    assert odd.headers["Location"] == "/supply"
    assert client.get(default.headers["Location"]).status_code == 200


def test_item_page_shows_times_and_a_readable_history_in_both_languages(app, client, db):
    from tests.helpers import bearer, firm_with_token

    _firm, user, token = firm_with_token(db, "sme")
    made = client.post("/api/v1/supply-items", headers=bearer(token),
                       json={"name": "铝合金压铸件", "description": "电池包壳体压铸件", "capacity": 3000, "unit": "pcs"})
    assert made.status_code == 201, made.get_json()
    item_id = made.get_json()["data"]["id"]
    patched = client.patch(f"/api/v1/supply-items/{item_id}", headers=bearer(token),
                           json={"capacity": 5000, "status": "draft"})
    assert patched.status_code == 200, patched.get_json()
    history = client.get(f"/api/v1/supply-items/{item_id}/history", headers=bearer(token)).get_json()["data"]
    assert history[0]["action"] == "update"
    assert json.loads(history[0]["changes"]) == {"capacity": [3000, 5000], "status": ["published", "draft"]}

    owner = _signed_in(app, user)
    zh = owner.get(f"/supply/{item_id}?lang=zh").get_data(as_text=True)
    assert "年产能 3,000 → 5,000" in zh and "状态 已发布 → 草稿" in zh
    assert "修改" in zh and "已创建" in zh and user["email"] in zh
    assert '"capacity"' not in zh and "+00:00" not in zh  # no raw JSON, no raw ISO times
    en = owner.get(f"/supply/{item_id}?lang=en").get_data(as_text=True)
    assert "Annual capacity 3,000 → 5,000" in en and "Status published → draft" in en and "Changed" in en and "Created" in en
    assert "+00:00" not in en
    assert re.search(r"\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}", en)  # '30 Nov 2026, 17:56'
