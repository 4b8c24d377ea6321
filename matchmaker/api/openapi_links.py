"""OpenAPI links: from each 201 answer to the operations that take the new resource's id.

A client (or a stateful fuzzer) can follow them: POST /supply-items answers with the item, whose
id goes into GET/PATCH/DELETE /supply-items/{item_id} and its history; POST /rounds/{round_id}/pairs
answers with pairs, whose first id goes into PATCH/DELETE .../pairs/{pair_id}. Derived from the rules,
so a new sub-resource is linked without an entry here.
"""
from __future__ import annotations

import re

__all__ = ["add_links"]

PREFIX = "/api/v1"
_ARG = re.compile(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>")


def add_links(paths: dict, ops: dict) -> None:
    """Add `links` to the 201 responses in `paths` (the document's); `ops` maps "METHOD rule" to
    (operationId, Op or None)."""
    for key, (_, op) in ops.items():
        method, rule = key.split(" ", 1)
        if method != "POST" or op is None or op.status != 201:
            continue
        found = _links(rule, op, ops)
        if found:
            response = paths[_path(rule)]["post"]["responses"]["201"]
            response["links"] = found


def _links(rule: str, op, ops: dict) -> dict:
    """{name: link} to every operation under `op.links_under or rule` with exactly one new path argument."""
    base = op.links_under or rule
    known = _ARG.findall(rule)
    links = {}
    for key, (operation_id, target) in sorted(ops.items()):
        target_rule = key.split(" ", 1)[1]
        if not target_rule.startswith(base + "/<"):
            continue
        new = [name for name in _ARG.findall(target_rule) if name not in known]
        if len(new) != 1:
            continue
        parameters = {name: f"$request.path.{name}" for name in _ARG.findall(target_rule) if name in known}
        parameters[new[0]] = f"$response.body#{op.created}"
        if target is not None and target.if_match and op.etag:
            parameters["If-Match"] = "$response.header.ETag"
        links[operation_id] = {"operationId": operation_id, "parameters": parameters,
                               "description": f"the new resource's id as `{new[0]}`"}
    return links


def _path(rule: str) -> str:
    return PREFIX + _ARG.sub(r"{\1}", rule)
