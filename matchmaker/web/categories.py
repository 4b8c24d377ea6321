"""The officials' review of proposed categories: /categories/review."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from graph import chains as chain_repo

from ..errors import DomainError
from ..extensions import get_graph
from ..i18n import localized
from ..matching import category_review
from ..schemas.category_suggestions import ReviewLoad, ReviewQuery
from ..security import current_principal
from ..services.permissions import require_manager
from . import web_bp
from .forms import args_data, form_data
from .messages import page_error

SHOWN = 50  # rows per page: each carries a picker of every category


@web_bp.get("/categories/review")
def category_review_page():
    args = args_data(ReviewQuery())
    rows = category_review.review_queue(get_graph(), current_principal(), args["chain"], args["status"])
    categories = chain_repo.all_categories(get_graph())
    return render_template("categories/review.html", rows=rows[:SHOWN], total=len(rows), args=args,
                           chains=chain_repo.chain_names(get_graph()), categories=categories,
                           labels={c["id"]: localized(c, "name") for c in categories})


@web_bp.post("/categories/review/<kind>/<item_id>")
def review_category(kind: str, item_id: str):
    principal = current_principal()
    require_manager(principal)
    try:
        data = form_data(ReviewLoad())
        category_review.review(get_graph(), principal, kind, item_id, data["category_id"],
                               current_app.config["HOME_REGION"])
        flash(_("Category saved."))
    except DomainError as exc:
        shown = page_error(exc.message, exc.fields)
        flash(f"{shown.message}{_(': ')}{'; '.join(' '.join(v) for v in shown.fields.values())}", "error")
    return redirect(url_for("web.category_review_page", chain=request.args.get("chain") or None))
