"""The review screen: flashcards with FSRS scheduling."""
from flask import Blueprint

bp = Blueprint("study", __name__)

from app.study import routes  # noqa: E402,F401
