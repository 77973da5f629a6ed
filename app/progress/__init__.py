"""The learner's progress dashboard and the export of their own review history."""
from flask import Blueprint

bp = Blueprint("progress", __name__)

from app.progress import routes  # noqa: E402,F401
