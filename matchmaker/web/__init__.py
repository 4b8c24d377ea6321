"""Server-rendered pages."""
from flask import Blueprint

web_bp = Blueprint("web", __name__)

from . import auth_pages, editions, enterprises, imports, lists, pages  # noqa: E402,F401
