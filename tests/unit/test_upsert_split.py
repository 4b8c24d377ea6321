from graph.upsert import split_new


def test_new_ids_once_repeats_and_existing_to_the_update_path():
    rows = [{"id": "a"}, {"id": "b"}, {"id": "a", "v": 2}, {"id": "c"}]
    fresh, rest = split_new(rows, existing={"c"})
    assert [r["id"] for r in fresh] == ["a", "b"]
    assert rest == [{"id": "a", "v": 2}, {"id": "c"}]
