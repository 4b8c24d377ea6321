"""The lists' text search reaches Chinese items from English words and the other way round,
through the API (the list index) and the graph's own search alike."""
from __future__ import annotations

from datetime import date

from graph.item_search import ItemQuery, search_items
from matchmaker.matching.lexicon import load_lexicon
from tests.helpers import bearer, firm_with_token


def _publish(client, token, name):
    made = client.post("/api/v1/supply-items", headers=bearer(token), json={"name": name, "capacity": 1000, "unit": "件"})
    assert made.status_code == 201, made.get_json()
    return made.get_json()["data"]["id"]


def test_ignition_finds_the_chinese_ignition_coil_and_back(client, db):
    _, _, token = firm_with_token(db, "sme")
    client.application.extensions["lists"].build("supply")  # the API then answers from the index (and its delta)
    chinese = _publish(client, token, "高能点火线圈 12V")
    english = _publish(client, token, "Ignition coil for small engines")
    other = _publish(client, token, "铝合金压铸壳体")
    for q in ("ignition", "点火线圈", "ignition coil", "IGNITION COIL"):
        found = {i["id"] for i in client.get(f"/api/v1/supply-items?q={q}").get_json()["data"]}
        assert found == {chinese, english}, q
    graph_found = search_items(db, ItemQuery("supply", {"statuses": ["published"]},
                                             load_lexicon().search_words("ignition"), limit=50,
                                             today=date.today().isoformat()))[0]
    assert {i["id"] for i in graph_found} == {chinese, english}
    assert other not in {i["id"] for i in client.get("/api/v1/supply-items?q=点火").get_json()["data"]}
