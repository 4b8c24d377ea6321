"""Why an official may decline a firm's sign-up, and what the person is told when signing in."""
from __future__ import annotations

from ..errors import N_

# reason code -> the label the official picks
REASONS = {
    "not_a_member": N_("cannot confirm the person works for this firm"),
    "duplicate": N_("the firm has an account already"),
    "incomplete": N_("the sign-up is incomplete or wrong"),
    "not_eligible": N_("the firm is not eligible for the platform"),
    "other": N_("other (say why in the note)"),
}
# reason code -> what signing in says afterwards
DECLINED = {
    "not_a_member": N_("An official declined this sign-up: it could not be confirmed that you work for this firm."),
    "duplicate": N_("An official declined this sign-up: your firm has an account already. Ask its holder to add you."),
    "incomplete": N_("An official declined this sign-up: it was incomplete or wrong. Sign up again with the firm's "
                     "credit code, name and region."),
    "not_eligible": N_("An official declined this sign-up: the firm is not eligible for the platform."),
    "other": N_("An official declined this sign-up. Ask the economy and information bureau why."),
}


def declined_message(reason: str | None) -> str:
    return DECLINED.get(reason or "other", DECLINED["other"])
