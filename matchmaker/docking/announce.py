"""Who hears of an engagement's change, told after the write committed; never fails the call.

- invitation: the invited supplier's accounts, and the officials in charge of the demand's chain;
- the supplier's answer (accept, decline, or a close by the supplier's side): the leader's accounts;
- a contract: the officials in charge of the chain.
An official's `chains` (chain ids) says which chains it is in charge of; none or empty: every chain.
The acting account is never told of its own move. In-app notifications are stored as message keys
(rendered in the reader's language, matchmaker.notifications.messages); when an outbox is bound
(matchmaker.mail, SMTP configured) each told account with an e-mail address also gets a mail.
"""
from __future__ import annotations

import json
import logging

from ..errors import N_
from ..notifications.inbox import note_id
from ..services.permissions import Principal
from ..timestamps import stamp
from .stages import ACCEPTED, CLOSED, CONTRACTED, DECLINED, INVITED, SUPPLIER

log = logging.getLogger(__name__)

INVITED_KIND, OPENED_KIND, ANSWER_KIND, CONTRACT_KIND = ("engagement_invited", "engagement_opened",
                                                        "engagement_answer", "engagement_contracted")
TITLES = {
    INVITED_KIND: N_("%(leader)s invites your firm to supply %(demand)s"),
    OPENED_KIND: N_("%(leader)s invited %(supplier)s to supply %(demand)s"),
    (ANSWER_KIND, ACCEPTED): N_("%(supplier)s accepted your invitation for %(demand)s"),
    (ANSWER_KIND, DECLINED): N_("%(supplier)s declined your invitation for %(demand)s"),
    (ANSWER_KIND, CLOSED): N_("%(supplier)s closed the engagement for %(demand)s"),
    CONTRACT_KIND: N_("%(leader)s signed a contract with %(supplier)s for %(demand)s: %(value)s CNY a year"),
}


def link_of(engagement_id: str) -> str:
    return f"/engagements/{engagement_id}"


def messages_for(engagement: dict, from_status: str | None, side: str | None) -> list[tuple[str, str, dict]]:
    """[(kind, title msgid, whom)] due for this change; whom = {"firms": [...], "officials": bool} (pure)."""
    to = engagement["status"]
    due = []
    if from_status is None and to == INVITED:
        due.append((INVITED_KIND, TITLES[INVITED_KIND], {"firms": [engagement["supplier_id"]], "officials": False}))
        due.append((OPENED_KIND, TITLES[OPENED_KIND], {"firms": [], "officials": True}))
    elif from_status == INVITED and to in (ACCEPTED, DECLINED) or (to == CLOSED and side == SUPPLIER):
        due.append((ANSWER_KIND, TITLES[ANSWER_KIND, to], {"firms": [engagement["leader_id"]], "officials": False}))
    if to == CONTRACTED and from_status != CONTRACTED:
        due.append((CONTRACT_KIND, TITLES[CONTRACT_KIND], {"firms": [], "officials": True}))
    return due


def params_of(engagement: dict) -> dict:
    params = {"engagement_id": engagement["id"], "demand_id": engagement["demand_id"],
              "demand": engagement.get("demand_name") or engagement["demand_id"],
              "supplier": engagement.get("supplier_name") or engagement["supplier_id"],
              "leader": engagement.get("leader_name") or engagement["leader_id"], "status": engagement["status"]}
    for key in ("supplier", "leader"):
        if engagement.get(f"{key}_name_en"):
            params[f"{key}_en"] = engagement[f"{key}_name_en"]
    if engagement.get("value") is not None:
        params["value"] = f"{engagement['value']:,.0f}"
    return params


def changed(repo, engagement: dict, from_status: str | None, principal: Principal, side: str | None,
            note: str = "") -> int:
    """Tell whom this change concerns; returns the notifications stored (0 on any failure, logged)."""
    try:
        due = messages_for(engagement, from_status, side)
        if not due:
            return 0
        now, params, stored, mails = stamp(precise=True), params_of(engagement), [], []
        about = f"{engagement['id']}:{engagement.get('version', 1)}"
        for kind, title, whom in due:
            for account in repo.accounts(whom["firms"], engagement.get("chain_id"), whom["officials"]):
                if account["user_id"] == principal.id:
                    continue
                stored.append({"id": note_id(kind, about, account["user_id"]), "user_id": account["user_id"],
                               "kind": kind, "title_key": title, "params": json.dumps(params, ensure_ascii=False),
                               "link": link_of(engagement["id"]), "created_at": now})
                if account.get("email"):
                    mails.append((account, title, params))
        count = repo.notify(stored) if stored else 0
        _mail(mails, note)
        return count
    except Exception:  # noqa: BLE001 - the change is committed; a failed notice is logged, never the call's error
        log.exception("notifying engagement %s failed", engagement.get("id"))
        return 0


def _mail(mails: list[tuple[dict, str, dict]], note: str) -> None:
    from ..mail import current_outbox, engagement_mail

    outbox = current_outbox()
    if outbox is None:
        return
    for account, title, params in mails:
        outbox.send(engagement_mail(account, title, params, note, link_of(params["engagement_id"]), outbox.base_url))
