"""Chain pages with their gap map, the map as an SVG file, and category pages."""
from __future__ import annotations

from flask import Response, render_template, url_for
from flask_babel import gettext as _

from ..analytics.gaps import COVERED, GAP, WEAK, GapNode
from ..charts.gap_map import GapMapTexts, draw_gap_map
from ..extensions import get_graph, get_lists, get_matching
from ..i18n import localized
from ..services import chains as chain_service
from ..security import current_principal
from ..services import gap_maps
from ..services import resilience as resilience_service
from ..services.permissions import may_see_rates
from . import web_bp
from .formats import money


def state_names() -> dict[str, str]:
    return {GAP: _("Gap: no local supplier"), WEAK: _("Weak: one local supplier"),
            COVERED: _("Covered: two or more local suppliers")}


def _tooltip(node: GapNode) -> str:
    lines = [localized(node.as_dict()), state_names()[node.state],
             _("Local suppliers: %(n)s", n=node.local_suppliers),
             _("Suppliers elsewhere: %(n)s", n=node.outside_suppliers),
             _("Open demand: %(n)s items, %(value)s", n=node.demand_items, value=money(node.demand_value))]
    if node.rate is not None:
        lines.append(_("Localization rate: %(rate)s%%", rate=round(node.rate * 100)))
        lines.append(_("Served locally %(served)s + contracted locally %(contracted)s of %(total)s",
                       served=money(node.served_locally), contracted=money(node.contracted_locally),
                       total=money(node.rate_total)))
    return "\n".join(lines)


def _svg(chain_id: str, rates: bool) -> tuple[dict, str, dict]:
    gap_map = gap_maps.chain_gap_map(get_graph(), chain_id, rates=rates, lists=get_lists())
    texts = GapMapTexts(_("Gap map of %(chain)s", chain=localized(gap_map.chain)), state_names(),
                        _("Circle size: open demand value"), _tooltip, localized)
    svg = draw_gap_map(gap_map, texts, lambda category_id: url_for("web.category", category_id=category_id))
    return gap_map.as_dict(), svg, gap_map.summary()


@web_bp.get("/chains/<chain_id>")
def chain(chain_id: str):
    """The officials' working page: the gap map, the category table with links to the filtered lists,
    resilience, and (for those who may see rates) each category's localization rate."""
    principal = current_principal()
    detail = chain_service.get_chain(get_graph(), chain_id)
    rates = may_see_rates(principal, None)
    gap_map, svg, summary = _svg(chain_id, rates)
    return render_template("chain.html", chain=detail, gap_map=gap_map, svg=svg, summary=summary,
                           states=state_names(), rates=rates,
                           resilience=resilience_service.chain_resilience(get_graph(), principal, chain_id,
                                                                         lists=get_lists()))


@web_bp.get("/chains/<chain_id>/gap-map.svg")
def chain_gap_map_svg(chain_id: str):
    _, svg, _ = _svg(chain_id, may_see_rates(current_principal(), None))
    return Response('<?xml version="1.0" encoding="UTF-8"?>\n' + svg, mimetype="image/svg+xml",
                    headers={"Content-Disposition": f'attachment; filename="gap-map-{chain_id}.svg"'})


@web_bp.get("/categories/<category_id>")
def category(category_id: str):
    page = gap_maps.category_page(get_graph(), get_matching(), category_id,
                                  rates=may_see_rates(current_principal(), None), lists=get_lists())
    return render_template("categories/category.html", page=page, states=state_names())
