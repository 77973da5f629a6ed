"""The dictionary: search by characters, pinyin or English, and one word's page."""
from flask import Blueprint

bp = Blueprint("dictionary", __name__)

from app.dictionary import routes  # noqa: E402,F401
