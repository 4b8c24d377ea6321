"""The platform's fixed vocabularies, named once: kinds, statuses, roles and role groups."""
from __future__ import annotations

ITEM_KINDS = ("supply", "demand")
FILE_KINDS = ("enterprises", *ITEM_KINDS)  # what files import and export

STATUSES = {"supply": ("published", "draft", "withdrawn"), "demand": ("published", "draft", "closed")}
ENDED = {"supply": "withdrawn", "demand": "closed"}

ENTERPRISE_ROLES = ("leader", "sme", "other")
TIERS = ("none", "innovative", "srsn", "little_giant", "champion")
# Which enterprises may own an item of each list: leaders ask, SMEs and other firms supply.
OWNER_ENTERPRISE_ROLES = {"supply": ("sme", "other"), "demand": ("leader",)}

ACCOUNT_ROLES = ("admin", "official", "leader", "sme")
MANAGERS = ("admin", "official")          # curate enterprises and lists, approve accounts, read everything
FIRM_ACCOUNT_ROLES = ("leader", "sme")    # accounts that represent one enterprise of the same role
LIST_ACCOUNT_ROLE = {"supply": "sme", "demand": "leader"}  # the firm account that writes its own list
