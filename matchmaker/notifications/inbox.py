"""An account's notifications: sending to the accounts of firms, reading pages, marking read.

Every read and write is scoped to the principal's own account id; ids of other accounts'
notifications are ignored (reported back as such), never marked and never shown.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from ..errors import N_, Invalid
from ..services.permissions import Principal, require_login
from .store import NotificationStore

MAX_IDS = 200  # ids in one mark-read call


@dataclass(frozen=True)
class Message:
    """What one firm is told: `about` names the subject (a demand id) so a repeat is not resent."""
    kind: str
    title_key: str
    params: dict
    link: str
    about: str


@dataclass
class InboxPage:
    notes: list[dict]
    total: int
    unread: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def note_id(kind: str, about: str, user_id: str) -> str:
    """The same message about the same subject to the same account always has the same id."""
    return "N-" + hashlib.sha256(f"{kind}|{about}|{user_id}".encode()).hexdigest()[:20]


def notify_firms(store: NotificationStore, messages: dict[str, Message], now: str) -> int:
    """Send each firm's message to every active account of that firm that keeps alerts on.

    Returns the notifications stored in the one transaction (a repeat of an earlier one is kept
    as it was, read or not)."""
    notes = [_note(messages[r["enterprise_id"]], r["user_id"], now)
             for r in store.recipients(sorted(messages)) if r["enterprise_id"] in messages]
    return store.create_many(notes) if notes else 0


def notify_account(store: NotificationStore, message: Message, user_id: str, now: str) -> int:
    """Send one message to one account (e.g. its own approval), whatever its alert setting."""
    return store.create_many([_note(message, user_id, now)])


def _note(message: Message, user_id: str, now: str) -> dict:
    return {"id": note_id(message.kind, message.about, user_id), "user_id": user_id, "kind": message.kind,
            "title_key": message.title_key, "params": json.dumps(message.params, ensure_ascii=False),
            "link": message.link, "created_at": now}


def inbox_page(store: NotificationStore, principal: Principal, page: int = 1, per_page: int = 20,
               unread_only: bool = False) -> InboxPage:
    require_login(principal)
    notes = store.page_of(principal.id, (page - 1) * per_page, per_page, unread_only)
    counts = store.counts(principal.id)
    total = counts["unread"] if unread_only else counts["total"]
    return InboxPage(notes, total, counts["unread"], page, per_page)


def unread_count(store: NotificationStore, principal: Principal) -> int:
    """Unread notifications of a signed-in account; 0 for anonymous callers (no query)."""
    return store.unread_count(principal.id) if principal.authenticated else 0


def mark_read(store: NotificationStore, principal: Principal, now: str, ids: list[str] | None = None,
              everything: bool = False) -> dict:
    """Mark the listed notifications (or all) of this account read.

    Returns {"marked": n, "ignored": [ids that are not this account's], "unread": n}."""
    require_login(principal)
    if (ids is None) == (not everything):
        raise Invalid(N_("send either a list of notification ids or all: true"),
                      {"ids": [N_("a list of notification ids, or leave it out and send all: true")]})
    if ids is not None and len(ids) > MAX_IDS:
        raise Invalid(N_("too many notification ids in one call"), {"ids": [N_("at most 200 ids")]})
    if everything:
        marked, ignored = store.mark_all_read(principal.id, now), []
    else:
        found = set(store.mark_read(principal.id, list(dict.fromkeys(ids)), now))
        marked, ignored = len(found), [i for i in dict.fromkeys(ids) if i not in found]
    return {"marked": marked, "ignored": ignored, "unread": store.unread_count(principal.id)}
