"""Server-rendered pages."""
from flask import Blueprint

web_bp = Blueprint("web", __name__)

from . import (auth_pages, categories, editions, enterprises, imports, lists, matches,  # noqa: E402,F401
               notifications, pages)
from . import plans  # noqa: E402,F401  (the batch plan page)
from . import engagements  # noqa: E402,F401  (docking)
from .labels import role_name, status_name  # noqa: E402
from .messages import page_error  # noqa: E402


@web_bp.record_once
def _template_helpers(state) -> None:
    state.app.jinja_env.globals.update(page_error=page_error, role_name=role_name, status_name=status_name)
