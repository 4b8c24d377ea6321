"""Sign-in throttling: slows guessing across accounts without letting a stranger lock an owner out.

Failed sign-ins are counted in windows (graph.users, LoginThrottle), on several counters at once:

- per account and client address: one address guessing one account;
- per client address, whatever the account: one address guessing many accounts;
- per account, over every client without a device cookie for it: many addresses guessing one account.

A browser that has signed in to the account before holds a signed device cookie (OWASP "device
cookies"); its attempts are counted only per device, so the limits above never lock the owner out
of a browser they have used. Unknown e-mail addresses are counted like known ones, so the answers
tell nothing about which accounts exist.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from graph import users as user_repo
from graph.db import GraphDB

from ..errors import N_, TooManyRequests

THROTTLED = N_("too many failed sign-ins: try again in %(minutes)s minutes")


@dataclass(frozen=True)
class Limit:
    prefix: str
    failures: int
    window: float  # seconds


PAIR = Limit("pair", 5, 15 * 60)
ADDRESS = Limit("address", 20, 15 * 60)
ACCOUNT = Limit("email", 10, 15 * 60)  # untrusted clients together
DEVICE = Limit("device", 10, 15 * 60)


@dataclass(frozen=True)
class Client:
    """Who tries to sign in: the client's address, and the device cookie's id when the browser
    holds a valid one for this e-mail address."""

    address: str
    device: str | None = None


class SignInThrottled(TooManyRequests):
    """429 with the seconds until the earliest retry (the API sends them as Retry-After)."""

    def __init__(self, retry_after: int):
        super().__init__(THROTTLED % {"minutes": max(1, math.ceil(retry_after / 60))},
                         extra={"retry_after": retry_after})
        self.retry_after = retry_after


def counters(email: str, client: Client) -> list[tuple[Limit, str]]:
    """(limit, key) of every counter this attempt is subject to."""
    if client.device:
        return [(DEVICE, f"device:{client.device}")]
    return [(PAIR, f"pair:{email}|{client.address}"), (ADDRESS, f"address:{client.address}"),
            (ACCOUNT, f"email:{email}")]


def check(db: GraphDB, email: str, client: Client, now: float) -> None:
    """Raise SignInThrottled when any counter of this attempt is at its limit."""
    limits = counters(email, client)
    windows = user_repo.failure_windows(db, _checks(limits, now))
    waits = [w["window_start"] + limit.window - now for limit, key in limits
             if (w := windows.get(key)) and w["failures"] >= limit.failures]
    if waits:
        raise SignInThrottled(max(1, math.ceil(max(waits))))


def failed(db: GraphDB, email: str, client: Client, now: float) -> None:
    user_repo.record_failures(db, _checks(counters(email, client), now), now)


def succeeded(db: GraphDB, email: str, client: Client) -> None:
    """Forget this account's failures (the per-address counter stays: one's own account resets nothing)."""
    keys = [key for limit, key in counters(email, client) if limit is not ADDRESS]
    user_repo.clear_failures_of(db, list(dict.fromkeys(keys + [f"email:{email}"])))


def _checks(limits: list[tuple[Limit, str]], now: float) -> list[dict]:
    return [{"key": key, "since": now - limit.window} for limit, key in limits]
