"""The data model. Import models from here."""
from app.models.card import Card, Direction, ReviewLog
from app.models.classroom import Classroom, DeckAssignment, Enrollment
from app.models.deck import Deck, Term, TermsVersion
from app.models.insert import dialect_insert, insert_missing
from app.models.scheduler import FitStatus, SchedulerFit
from app.models.study import DeckStudy
from app.models.text import SavedText, TextShare
from app.models.token import ApiToken
from app.models.types import UTCDateTime, utcnow
from app.models.user import Role, Script, User

__all__ = [
    "ApiToken", "Card", "Classroom", "Deck", "DeckAssignment", "DeckStudy", "Direction", "Enrollment",
    "FitStatus", "ReviewLog", "Role", "SavedText", "SchedulerFit", "Script", "Term", "TermsVersion", "TextShare",
    "User", "UTCDateTime", "dialect_insert", "insert_missing", "utcnow",
]
