"""The home page (chain pages: web/gaps.py)."""
from flask import render_template

from ..extensions import get_graph
from ..services import chains as chain_service
from . import web_bp


@web_bp.get("/")
def home():
    return render_template("home.html", chains=chain_service.list_chains(get_graph()))

