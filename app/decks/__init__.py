"""Deck pages: the list of decks and one deck's terms."""
from flask import Blueprint

bp = Blueprint("decks", __name__)

from app.decks import routes  # noqa: E402,F401
