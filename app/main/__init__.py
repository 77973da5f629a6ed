"""The home page, the health check, and the pages later parts of the app fill in."""
from flask import Blueprint

bp = Blueprint("main", __name__)

from app.main import routes  # noqa: E402,F401
