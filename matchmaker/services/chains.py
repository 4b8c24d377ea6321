"""Reading the chains' taxonomy."""
from __future__ import annotations

from graph import chains as chain_repo
from graph.db import GraphDB

from ..errors import NotFound


def list_chains(db: GraphDB) -> list[dict]:
    return chain_repo.list_chains(db)


def get_chain(db: GraphDB, chain_id: str) -> dict:
    chain = chain_repo.get_chain(db, chain_id)
    if chain is None:
        raise NotFound(f"no chain with id '{chain_id}'")
    return chain
