"""Building term lists: new decks, adding terms four ways with a preview, editing, exporting."""
from flask import Blueprint

bp = Blueprint("authoring", __name__)

from app.authoring import routes  # noqa: E402,F401
