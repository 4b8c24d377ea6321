"""Rules for typed values shared by the record kinds: dates, certifications, amounts."""
from __future__ import annotations

import datetime as dt
import math
import re

from ..errors import N_
from .text import text_problem

MAX_AMOUNT = 10**15  # CNY or units: far above any real figure, far below float trouble
MAX_CERTIFICATIONS = 50
MAX_CERTIFICATION = 64

DATE = N_("not a date that exists: write it as YYYY-MM-DD, e.g. 2026-12-31")
CERTIFICATION = N_("write each certification as NAME or NAME@YYYY-MM-DD with a date that exists, "
                   "e.g. IATF16949@2027-06-30")
CERTIFICATION_LONG = N_("each certification has at most 64 characters")
TOO_MANY_CERTIFICATIONS = N_("at most 50 certifications")
AMOUNT = N_("must be a number from 0 to 1,000,000,000,000,000")
NOT_A_LIST = N_("must be a list of texts")

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def date_problem(value) -> str | None:
    """An ISO date that exists (2026-02-30 does not)."""
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return DATE
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return DATE
    return None


def amount_problem(value) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return AMOUNT
    return None if math.isfinite(value) and 0 <= value <= MAX_AMOUNT else AMOUNT


def certifications_problem(values) -> str | None:
    """`NAME` or `NAME@YYYY-MM-DD` (an expiry that exists); at most 50 of at most 64 characters."""
    if not isinstance(values, list):
        return NOT_A_LIST
    if len(values) > MAX_CERTIFICATIONS:
        return TOO_MANY_CERTIFICATIONS
    for value in values:
        problem = text_problem(value, 5000, name=True)
        if problem:
            return problem
        if len(value) > MAX_CERTIFICATION:
            return CERTIFICATION_LONG
        name, at, expiry = value.rpartition("@") if "@" in value else (value, "", "")
        if not name.strip() or ";" in value or (at and date_problem(expiry)):
            return CERTIFICATION
    return None
