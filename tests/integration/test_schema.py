"""Schema: constraints exist, migrations are idempotent and versioned."""
from __future__ import annotations

import pytest

from graph import schema
from graph.errors import DuplicateKey, SchemaTooNew
from graph.items import upsert_many


def test_every_aggregate_has_its_unique_key(db):
    keys = {(c["label"], c["property"]) for c in schema.constraints(db) if c["type"] == "UNIQUENESS"}
    expected = {("Chain", "id"), ("Segment", "id"), ("Category", "id"), ("Region", "code"),
                ("Enterprise", "id"), ("SupplyItem", "id"), ("DemandItem", "id"), ("User", "id"),
                ("User", "email"), ("ApiToken", "token_hash"), ("Edition", "id")}
    assert expected <= keys


def test_migrate_is_idempotent_and_records_the_version(db):
    assert schema.migrate(db) == []
    assert schema.current_version(db) == schema.LATEST


def test_a_newer_database_is_refused(db):
    db.write(schema._record_version, schema.LATEST + 1, "from the future")
    try:
        with pytest.raises(SchemaTooNew, match="newer than this code"):
            schema.migrate(db)
    finally:
        db.write(schema._record_version, schema.LATEST, "restored")


def test_duplicate_user_email_is_a_domain_error(db):
    from graph import users

    user = {"id": "u-1", "email": "a@b.cn", "password_hash": "x", "role": "admin", "active": True,
            "enterprise_id": None, "name": ""}
    users.create(db, user, "2026-01-01")
    with pytest.raises(DuplicateKey):
        users.create(db, {**user, "id": "u-2"}, "2026-01-01")
