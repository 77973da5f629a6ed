"""/cards: the learner's card browser (search, filter, sort, page) and each card's history and actions."""
from flask import Blueprint

bp = Blueprint("cards", __name__)

from app.cards import routes  # noqa: E402,F401
