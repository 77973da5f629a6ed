"""/audio: Chinese text read aloud by the server (for browsers without a Chinese voice, and API clients)."""
from flask import Blueprint

bp = Blueprint("audio", __name__)

from app.audio import routes  # noqa: E402,F401
