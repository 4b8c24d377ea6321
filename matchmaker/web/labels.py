"""Words the pages show for stored codes: roles, item statuses, form fields (translated when shown)."""
from __future__ import annotations

from flask_babel import gettext

from ..errors import N_

ROLES = {"admin": N_("Administrator"), "official": N_("Government official"), "leader": N_("Chain leader"),
         "sme": N_("Specialised SME"), "other": N_("Other enterprise")}

# The cultivation ladder of SMEs (rules.vocab.TIERS), as the MIIT programmes name them.
TIERS = {"none": N_("Not rated"), "innovative": N_("Innovative SME"), "srsn": N_("Specialised and sophisticated SME"),
         "little_giant": N_("National little giant"), "champion": N_("Manufacturing single champion")}

# Status choices of the item form: each says what saving with it does.
STATUSES = {"published": N_("Published: everyone sees it"), "draft": N_("Draft: only you and officials see it"),
            "withdrawn": N_("Withdrawn: hidden from the lists"), "closed": N_("Closed: hidden from the lists")}

# Form fields as their forms label them (field keys of the schemas and services).
FIELDS = {
    "id": N_("Id"), "enterprise_id": N_("Enterprise"), "email": N_("Email"), "password": N_("Password"),
    "role": N_("Role"), "name": N_("Name"), "name_en": N_("English name"), "description": N_("Description"),
    "category": N_("Category"), "chain": N_("Chain"), "chains": N_("Chains"), "unit": N_("Unit"),
    "capacity": N_("Annual capacity"), "certifications": N_("Certifications"), "status": N_("Status"),
    "quantity": N_("Annual quantity"), "unit_price": N_("Unit price (CNY)"),
    "required_certifications": N_("Required certifications"), "prefer_local": N_("Prefer local suppliers"),
    "current_supplier_region": N_("Current supplier region"), "deadline": N_("Deadline"), "tier": N_("Tier"),
    "region": N_("Region"), "annual_procurement": N_("Annual procurement (CNY)"),
    "local_procurement": N_("Bought locally (CNY)"), "kind": N_("What the file holds"), "file": N_("File"),
}


def role_name(role: str | None) -> str:
    """'sme' -> 'Specialised SME' (专精特新中小企业); an unknown code as it is."""
    return gettext(ROLES[role]) if role in ROLES else (role or "")


def tier_name(tier: str | None) -> str:
    """'little_giant' -> 'National little giant' (专精特新"小巨人"); none or unknown -> 'Not rated'."""
    return gettext(TIERS.get(tier or "none", TIERS["none"]))


def status_name(status: str | None) -> str:
    return gettext(STATUSES[status]) if status in STATUSES else (status or "")


def field_label(key: str) -> str:
    """A form field's label; a key no form labels (a hidden field) as it is."""
    return gettext(FIELDS[key]) if key in FIELDS else key


# -- docking: matchmaking round outcomes (engagement stages: web/engagements.py status_label) ---------
OUTCOMES = {"met": N_("Met"), "follow_up": N_("Follow-up agreed"), "signed": N_("Signed"), "no_fit": N_("No fit")}


def outcome_name(outcome: str | None) -> str:
    return gettext(OUTCOMES[outcome]) if outcome in OUTCOMES else (outcome or "")



# The round forms' fields (pages name a field by its label when they show an error).
FIELDS.update({"title": N_("Title"), "date": N_("Date"), "place": N_("Place"), "outcome": N_("Outcome"),
               "demand_item_id": N_("Demand item id"), "supplier_id": N_("Supplier enterprise id"),
               "supply_item_id": N_("Supply item id (optional)")})
