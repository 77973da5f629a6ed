"""The data model. Import models from here."""
from app.models.card import Card, Direction, ReviewLog
from app.models.classroom import Classroom, DeckAssignment, Enrollment
from app.models.deck import Deck, Term
from app.models.scheduler import FitStatus, SchedulerFit
from app.models.study import DeckStudy
from app.models.text import SavedText, TextShare
from app.models.token import ApiToken
from app.models.types import UTCDateTime, utcnow
from app.models.user import Role, Script, User

__all__ = [
    "ApiToken", "Card", "Classroom", "Deck", "DeckAssignment", "DeckStudy", "Direction", "Enrollment",
    "FitStatus", "ReviewLog", "SavedText", "SchedulerFit", "Role", "Script", "Term", "TextShare", "User",
    "UTCDateTime", "utcnow",
]
