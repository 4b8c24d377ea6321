"""Server-rendered pages."""
from flask import Blueprint

web_bp = Blueprint("web", __name__)

from . import (auth_pages, categories, editions, enterprises, gaps, imports, lists, matches,  # noqa: E402,F401
               notifications, pages)
from . import plans  # noqa: E402,F401  (the batch plan page)
from . import engagements  # noqa: E402,F401  (docking)
from . import funnel, rounds  # noqa: E402,F401  (docking: funnel, matchmaking rounds)
from . import dashboard  # noqa: E402,F401  (rates over time, the officials' dashboard)
from . import import_jobs  # noqa: E402,F401  (an import job's page)
from .labels import field_label, role_name, status_name, tier_name  # noqa: E402
from .messages import page_error, translated  # noqa: E402
from .formats import money, revision_view, when  # noqa: E402


@web_bp.record_once
def _template_helpers(state) -> None:
    state.app.jinja_env.globals.update(page_error=page_error, role_name=role_name, status_name=status_name,
                                    tier_name=tier_name, translated=translated, field_label=field_label,
                                       revision_view=revision_view)
    state.app.jinja_env.filters.update(money=money, when=when)  # formats for people (web/formats.py)
