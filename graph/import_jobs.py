"""Import jobs: (:ImportJob {id, kind, filename, mode, dry_run, owner_id, enterprise_id, state,
rows_total, rows_validated, rows_accepted, rows_written, report, error, created_at, started_at, finished_at,
heartbeat_at}).

A job is written by the worker thread that runs it and read by any worker or host, so a job's
status never depends on which process answers. Times are Unix seconds; `report` and `error` are
JSON text (a property holds no map), decoded here so callers get plain dicts.
"""
from __future__ import annotations

import json
from typing import LiteralString

from .db import GraphDB, one, rows

_FIELDS: LiteralString = ("j {.id, .kind, .filename, .mode, .dry_run, .owner_id, .enterprise_id, .state, "
                          ".rows_total, .rows_validated, .rows_accepted, .rows_written, .report, .error, .created_at, "
                          ".started_at, .finished_at, .heartbeat_at}")
_CREATE: LiteralString = "MERGE (j:ImportJob {id: $job.id}) ON CREATE SET j += $job RETURN j.id AS id"
_GET: LiteralString = f"MATCH (j:ImportJob {{id: $id}}) RETURN {_FIELDS} AS job"
# A finished job is never changed again: a late progress write from a slow thread loses.
_UPDATE: LiteralString = """
MATCH (j:ImportJob {id: $id}) WHERE NOT j.state IN ['done', 'failed']
SET j += $changes
RETURN j.id AS id
"""
_TOUCH: LiteralString = """
MATCH (j:ImportJob) WHERE j.id IN $ids AND NOT j.state IN ['done', 'failed']
SET j.heartbeat_at = $now
RETURN count(j) AS n
"""
_OF_OWNER: LiteralString = f"""
MATCH (j:ImportJob {{owner_id: $owner_id}})
RETURN {_FIELDS} AS job ORDER BY j.created_at DESC, j.id DESC LIMIT $limit
"""
_JSON = ("report", "error")


def create(db: GraphDB, job: dict) -> None:
    """Store a new job (its id chosen by the caller; storing it twice keeps the first)."""
    db.write(lambda tx: one(tx, _CREATE, job=_encode(job)))


def get(db: GraphDB, job_id: str) -> dict | None:
    record = db.read(one, _GET, id=job_id)
    return _decode(record["job"]) if record else None


def update(db: GraphDB, job_id: str, changes: dict) -> bool:
    """Set some fields of an unfinished job; False when it is finished or absent."""
    return db.write(lambda tx: one(tx, _UPDATE, id=job_id, changes=_encode(changes))) is not None


def touch(db: GraphDB, job_ids: list[str], now: float) -> int:
    """Refresh the heartbeat of the unfinished jobs among `job_ids`; returns how many."""
    if not job_ids:
        return 0
    return db.write(lambda tx: one(tx, _TOUCH, ids=list(job_ids), now=now)["n"])


def of_owner(db: GraphDB, owner_id: str, limit: int) -> list[dict]:
    """An account's jobs, newest first."""
    return [_decode(r["job"]) for r in db.read(rows, _OF_OWNER, owner_id=owner_id, limit=limit)]


def _encode(fields: dict) -> dict:
    return {k: json.dumps(v, ensure_ascii=False) if k in _JSON and v is not None else v for k, v in fields.items()}


def _decode(job: dict) -> dict:
    return {k: json.loads(v) if k in _JSON and isinstance(v, str) else v for k, v in job.items()}
