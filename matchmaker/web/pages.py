"""Home page and chain pages."""
from flask import render_template

from ..extensions import get_graph
from ..services import chains as chain_service
from . import web_bp


@web_bp.get("/")
def home():
    return render_template("home.html", chains=chain_service.list_chains(get_graph()))


@web_bp.get("/chains/<chain_id>")
def chain(chain_id: str):
    return render_template("chain.html", chain=chain_service.get_chain(get_graph(), chain_id))
