"""Field checks as data: a record kind's rules are a table of (field, check) pairs."""
from __future__ import annotations

from typing import Callable

from .text import REQUIRED, text_problem, text_schema
from .values import amount_problem, certifications_problem, date_problem

Errors = dict[str, list[str]]
Check = Callable[[object], "str | None"]


def line(max_length: int, *, name: bool = False) -> Check:
    return _documented(lambda value: text_problem(value, max_length, name=name), text_schema(max_length, name=name))


def paragraph(max_length: int) -> Check:
    return _documented(lambda value: text_problem(value, max_length, multiline=True),
                       text_schema(max_length, multiline=True))


def _documented(check: Check, schema: dict) -> Check:
    """The check, carrying the JSON Schema that states it (matchmaker.api.openapi reads `openapi`)."""
    check.openapi = schema
    return check


def choice(message: str, allowed: tuple[str, ...]) -> Check:
    return lambda value: None if value in allowed else message


date, amount, certifications = date_problem, amount_problem, certifications_problem


def run(record: dict, table: dict[str, Check], required: tuple[str, ...] = ()) -> Errors:
    """Each field's first problem; blank optional fields (None, "", []) are not checked."""
    errors: Errors = {}
    for field, check in table.items():
        value = record.get(field)
        if value is None or value == "" or value == []:
            if field in required:
                errors[field] = [REQUIRED]
            continue
        problem = check(value)
        if problem:
            errors[field] = [problem]
    return errors
