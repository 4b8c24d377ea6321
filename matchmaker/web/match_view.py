"""What the match pages show of the matching service's results: fit grades, tier names, filters, and
"why this supplier" as sentences in the page's language, built from the score parts."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from marshmallow import ValidationError

from ..errors import N_
from ..matching.engine import Filters
from ..matching.feedback import DIRECT
from ..schemas.matches import MatchQuery
from .messages import PageError, translated

GRADES = {3: N_("Strong fit"), 2: N_("Good fit"), 1: N_("Possible fit"), 0: N_("Weak fit")}
TIERS = {"innovative": N_("Innovative SME"), "srsn": N_("SRSN (专精特新)"), "little_giant": N_("Little giant"),
         "champion": N_("Single champion")}
FILTERS = {"local_only": N_("Local only"), "tier": N_("Tier"), "certification": N_("Certification")}


@dataclass(frozen=True)
class Reason:
    text: str
    warning: bool = False   # a gap the reader must not miss (a missing certification)


@dataclass
class MatchList:
    rows: list[dict]
    filters: dict            # the filters applied, for the filter form
    problem: PageError | None = None

    @property
    def query(self) -> dict:
        """The applied filters as query arguments (to keep them across a verdict)."""
        return {key: "true" if value is True else value for key, value in self.filters.items()
                if key in FILTERS and value}


def grade_name(band: int) -> str:
    return _(GRADES.get(band, GRADES[0]))


def tier_name(tier: str | None) -> str:
    """A tier's label; '' for none or an unknown code (never the raw code)."""
    return _(TIERS[tier]) if tier in TIERS else ""


def read_filters(args) -> tuple[dict, PageError | None]:
    """The filter form's values; a value that is not valid is left out and named in the problem."""
    raw = {key: args[key].strip() for key in FILTERS if args.get(key, "").strip()}
    try:
        return MatchQuery().load(raw), None
    except ValidationError as exc:
        bad = {key: reasons for key, reasons in exc.messages.items() if key in raw}
        kept = MatchQuery().load({k: v for k, v in raw.items() if k not in bad})
        fields = {_(FILTERS[key]): [translated(r) for r in reasons] for key, reasons in bad.items()}
        return kept, PageError(_("Some filters are not valid and were ignored."), fields)


def engine_filters(args: dict) -> Filters:
    return Filters(args["local_only"], args["tier"], args["certification"])


def supplier_reasons(row: dict, category: str | None) -> list[Reason]:
    """Why this supplier fits a demand item whose category is named `category` (or unknown)."""
    parts = row["components"]
    reasons = [_text_reason(parts), *_category_reason(parts.get("category"), category)]
    if parts.get("certifications_met"):
        reasons.append(Reason(_("Certifications met: %(names)s", names=", ".join(parts["certifications_met"]))))
    reasons += _missing(row["missing_certifications"])
    if parts.get("capacity_cover") is not None:
        reasons.append(Reason(_("Capacity covers %(share)d%% of the quantity",
                                share=_percent(parts["capacity_cover"]))))
    if parts.get("locality_preferred"):
        reasons.append(Reason(_("Local supplier: comes first among suppliers that fit equally well")))
    elif parts.get("local"):
        reasons.append(Reason(_("Local supplier")))
    if tier_name(row["enterprise"].get("tier")):
        reasons.append(Reason(_("Tier: %(tier)s", tier=tier_name(row["enterprise"]["tier"]))))
    return reasons + _feedback_reason(parts.get("feedback") or 0.0)


def opportunity_reasons(row: dict) -> list[Reason]:
    """Why this demand item suits the SME."""
    parts = row["components"]
    reasons = [_text_reason(parts), *_category_reason(parts.get("category"), None)]
    reasons += _missing(row["missing_certifications"])
    if parts.get("capacity_cover") is not None:
        reasons.append(Reason(_("Your capacity covers %(share)d%% of the quantity",
                                share=_percent(parts["capacity_cover"]))))
    if parts.get("locality_preferred"):
        reasons.append(Reason(_("The buyer prefers local suppliers, and you are local")))
    return reasons


def _text_reason(parts: dict) -> Reason:
    return Reason(_("Text similarity: wording %(wording)d%%, meaning %(meaning)d%%",
                    wording=_percent(parts.get("text_lexical")), meaning=_percent(parts.get("text_semantic"))))


def _category_reason(relation: str | None, category: str | None) -> list[Reason]:
    named = {"same": N_("Same product category: %(category)s"),
             "feeds": N_("Related category: supplies into or from %(category)s"),
             "sibling": N_("Related category: same chain segment as %(category)s"),
             "chain": N_("Related category: same industry chain as %(category)s")}
    unnamed = {"same": N_("Same product category"), "feeds": N_("Related category: one supplies the other"),
               "sibling": N_("Related category: same chain segment"),
               "chain": N_("Related category: same industry chain")}
    if relation not in named:
        return []
    return [Reason(_(named[relation], category=category) if category else _(unnamed[relation]))]


def _missing(names: list[str]) -> list[Reason]:
    if not names:
        return []
    return [Reason(_("Missing required certification: %(names)s", names=", ".join(names)), warning=True)]


def _feedback_reason(effect: float) -> list[Reason]:
    if effect <= DIRECT["dismiss"] + 1e-9:
        return [Reason(_("You dismissed this supplier for this item"))]
    if abs(effect - DIRECT["confirm"]) < 1e-9:
        return [Reason(_("You confirmed this supplier for this item"))]
    if effect > 0:
        return [Reason(_("Raised by your confirmations on similar items"))]
    if effect < 0:
        return [Reason(_("Lowered by your dismissals on similar items"))]
    return []


def _percent(share) -> int:
    return round(100 * min(1.0, max(0.0, float(share or 0.0))))
