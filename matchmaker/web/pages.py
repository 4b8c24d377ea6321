"""The home page and its search box (chain pages: web/gaps.py)."""
from flask import redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from ..extensions import get_graph, get_lists
from ..security import current_principal
from ..services import chains as chain_service
from . import web_bp

# The links a signed-in user uses most, by role (the home page's calls to action).
HOME_LINKS = {
    "leader": (("web.engagements", _l("My engagements")), ("web.funnel_page", _l("Funnel")),
               ("web.round_list", _l("Rounds"))),
    "sme": (("web.supply_opportunities", _l("Opportunities")), ("web.engagements", _l("My engagements")),
            ("web.imports", _l("Import"))),
    "official": (("web.dashboard", _l("Dashboard")), ("web.pending_accounts", _l("Approvals")),
                 ("web.round_list", _l("Rounds"))),
}
HOME_LINKS["admin"] = HOME_LINKS["official"]
DEFAULT_LINKS = (("web.engagements", _l("My engagements")), ("web.imports", _l("Import")))


@web_bp.get("/")
def home():
    principal = current_principal()
    links = HOME_LINKS.get(principal.role, DEFAULT_LINKS) if principal.authenticated else ()
    return render_template("home.html", chains=chain_service.list_chains(get_graph(), get_lists()), home_links=links)


@web_bp.get("/search")
def search():
    """The home page's search box: the supply list (or the demand list) filtered by the words typed."""
    kind = request.args.get("kind") if request.args.get("kind") in ("supply", "demand") else "supply"
    q = (request.args.get("q") or "").strip()[:100]
    return redirect(url_for("web.browse", kind=kind, **({"q": q} if q else {})))


@web_bp.get("/favicon.ico")
def favicon():
    """Browsers and bookmarks that ask for /favicon.ico get the site's SVG icon."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)
