"""Marshmallow schemas: what each endpoint accepts and returns, and so what the OpenAPI document says."""
from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import RAISE, Schema, ValidationError, fields, pre_load, validate

from app.models import Role


class Strict(Schema):
    class Meta:
        unknown = RAISE  # a misspelt field ("ratng") is an error, not silently ignored

    @pre_load
    def refuse_nul_characters(self, data, **kwargs):
        # PostgreSQL cannot store U+0000 in text; no real input has it, so it is refused up front.
        if _has_nul(data):
            raise ValidationError("Text may not contain the NUL character (U+0000).")
        return data


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


# ---- tokens, users ----------------------------------------------------------------------------

class TokenOut(Schema):
    token = fields.String(required=True)
    expires_at = fields.DateTime(required=True)


class UserIn(Strict):
    username = fields.String(required=True, validate=validate.Length(max=200))
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=1000))
    role = fields.String(load_default=Role.LEARNER.value,
                         validate=validate.OneOf([Role.LEARNER.value, Role.INSTRUCTOR.value]))


class UserOut(Schema):
    id = fields.Integer(required=True)
    username = fields.String(required=True)
    role = fields.Function(lambda user: user.role.value, required=True)


# ---- decks and terms --------------------------------------------------------------------------

class DeckSummaryOut(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    description = fields.String()
    term_count = fields.Integer(required=True)
    builtin = fields.Boolean(required=True)
    owned = fields.Boolean(metadata={"description": "the caller owns the deck (and may add terms)"})
    cards = fields.Integer(metadata={"description": "the caller's cards in the deck (0: not started)"})
    due = fields.Integer(metadata={"description": "the caller's reviews due now"})
    new = fields.Integer(metadata={"description": "the caller's cards never reviewed"})


class DeckListOut(Schema):
    decks = fields.List(fields.Nested(DeckSummaryOut), required=True)


class DeckIn(Strict):
    title = fields.String(required=True, validate=validate.Length(max=1000))
    description = fields.String(load_default="", validate=validate.Length(max=10000))


class TermOut(Schema):
    id = fields.Integer(required=True)
    hanzi = fields.String(attribute="simplified", required=True)
    traditional = fields.String()
    pinyin = fields.String(required=True)
    english = fields.String(required=True)
    example_zh = fields.String()
    example_pinyin = fields.String()
    example_en = fields.String()
    hsk = fields.Integer(attribute="hsk_level", allow_none=True)
    note = fields.String()


class DeckOut(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    builtin = fields.Boolean(required=True)
    terms = fields.List(fields.Nested(TermOut))


class TermIn(Strict):
    hanzi = fields.String(required=True, validate=validate.Length(max=1000))
    pinyin = fields.String(validate=validate.Length(max=1000))
    english = fields.String(validate=validate.Length(max=10000))
    traditional = fields.String(validate=validate.Length(max=1000))
    example_zh = fields.String(validate=validate.Length(max=10000))
    example_pinyin = fields.String(validate=validate.Length(max=10000))
    example_en = fields.String(validate=validate.Length(max=10000))
    note = fields.String(validate=validate.Length(max=10000))


class TermsIn(Strict):
    terms = fields.List(fields.Nested(TermIn), required=True, validate=validate.Length(min=1, max=500))


class TermsOut(Schema):
    terms = fields.List(fields.Nested(TermOut), required=True)


class ImportIn(Schema):
    file = Upload(required=True, metadata={"description": "CSV/TSV with a header, a Pleco flashcard export or "
                                           "Anki's Notes in Plain Text; UTF-8 or GB18030; at most 5 MB"})


class ImportQuery(Strict):
    skip_invalid = fields.Boolean(load_default=False, metadata={
        "description": "import the good rows and skip the bad ones; by default one bad row refuses the file"})


class ImportOut(Schema):
    imported = fields.Integer(required=True)
    skipped = fields.List(fields.Dict(), required=True, metadata={"description": "[{line, reason}] left out"})
    format = fields.String(required=True)


class ExportQuery(Strict):
    format = fields.String(load_default="csv", validate=validate.OneOf(["csv", "apkg"]))


class StudyIn(Strict):
    directions = fields.List(fields.String(validate=validate.OneOf(["recognition", "recall", "listening"])),
                             validate=validate.Length(min=1, max=3),
                             metadata={"description": "card directions to study (default: recognition, recall)"})


class StudyOut(Schema):
    cards = fields.Integer(required=True)


# ---- cards and review -------------------------------------------------------------------------

STATE_DOC = "0 new (never reviewed), 1 learning, 2 review, 3 relearning (fsrs.State)"


class CardOut(Schema):
    id = fields.Integer(required=True)
    term_id = fields.Integer(required=True)
    direction = fields.Function(lambda card: card.direction.value, required=True)
    due = fields.DateTime(required=True)
    state = fields.Function(lambda card: 0 if card.last_review is None else card.state, required=True,
                            metadata={"description": STATE_DOC})
    stability = fields.Float(allow_none=True, metadata={"description": "days"})
    difficulty = fields.Float(allow_none=True, metadata={"description": "1 (easy) to 10 (hard)"})
    reps = fields.Integer()
    lapses = fields.Integer()
    last_review = fields.DateTime(allow_none=True)
    suspended = fields.Boolean()
    version = fields.Integer(metadata={"description": "changes with every review; send it with the next one"})


class CardDetailOut(CardOut):
    retrievability = fields.Float(allow_none=True,
                                  metadata={"description": "probability of recall now, 0-1; null if never reviewed"})


class CardListOut(Schema):
    cards = fields.List(fields.Nested(CardOut), required=True)


class NextIn(Strict):
    deck_id = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))


class CountsOut(Schema):
    new = fields.Integer(required=True)
    learning = fields.Integer(required=True)
    review = fields.Integer(required=True)


class ReviewCardOut(Schema):
    id = fields.Integer(required=True)
    term_id = fields.Integer()
    direction = fields.String(required=True)
    queue = fields.String(metadata={"description": "new, learning or review"})
    version = fields.Integer()
    front = fields.Dict(keys=fields.String(), required=True)
    back = fields.Dict(keys=fields.String(), required=True)
    intervals = fields.Dict(keys=fields.String(), values=fields.Integer(),
                            metadata={"description": "seconds until due again, per rating 1-4 (no fuzz)"})


class NextOut(Schema):
    card = fields.Nested(ReviewCardOut, required=True)
    counts = fields.Nested(CountsOut, required=True)


class ReviewIn(Strict):
    card_id = fields.Integer(required=True, validate=validate.Range(min=1, max=2**31 - 1))
    rating = fields.Integer(required=True, validate=validate.Range(min=1, max=4))
    client_review_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    reviewed_at = fields.AwareDateTime(metadata={"description": "ISO 8601 with offset; default: now"})
    duration_ms = fields.Integer(validate=validate.Range(min=0, max=24 * 3600 * 1000))
    version = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1), metadata={
        "description": "the card's version as /review/next or /cards/{id} showed it: when the card was graded "
                       "since, the review is refused (409) instead of recorded twice"})


class ReviewsIn(Strict):
    reviews = fields.List(fields.Nested(ReviewIn), required=True, validate=validate.Length(min=1, max=1000))
    partial = fields.Boolean(load_default=False,
                             metadata={"description": "apply the good reviews even if some are refused"})


class ReviewedCardOut(Schema):
    id = fields.Integer(required=True)
    due = fields.DateTime(required=True)
    stability = fields.Float(allow_none=True)
    difficulty = fields.Float(allow_none=True)
    state = fields.Integer(required=True)
    reps = fields.Integer(required=True)
    lapses = fields.Integer(required=True)
    version = fields.Integer(required=True, metadata={"description": "send it with the card's next review"})


class ReviewErrorOut(Schema):
    status = fields.Integer()
    field = fields.String(allow_none=True)
    detail = fields.String()


class ReviewResultOut(Schema):
    client_review_id = fields.String(required=True)
    applied = fields.Boolean()
    duplicate = fields.Boolean(required=True)
    card = fields.Nested(ReviewedCardOut, allow_none=True)
    error = fields.Nested(ReviewErrorOut, allow_none=True)


class ReviewsOut(Schema):
    results = fields.List(fields.Nested(ReviewResultOut), required=True)


# ---- stats, annotate, classes -----------------------------------------------------------------

class StatsOut(Schema):
    reviews_today = fields.Integer(required=True)
    due_today = fields.Integer(required=True)
    retention_30d = fields.Float(allow_none=True, required=True)
    streak_days = fields.Integer(required=True)
    cards_by_state = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)


class AnnotateIn(Strict):
    text = fields.String(required=True)


class TokenInfoOut(Schema):
    text = fields.String(required=True)
    kind = fields.String()
    pinyin = fields.String(required=True)
    pinyin_numbers = fields.String(required=True)
    english = fields.String(required=True)
    hsk = fields.Integer(allow_none=True, required=True)
    traditional = fields.String()


class AnnotateOut(Schema):
    tokens = fields.List(fields.Nested(TokenInfoOut), required=True)


class ClassIn(Strict):
    name = fields.String(required=True, validate=validate.Length(max=1000))


class ClassOut(Schema):
    id = fields.Integer(required=True)
    name = fields.String()
    join_code = fields.String(required=True)


class JoinIn(Strict):
    code = fields.String(required=True, validate=validate.Length(max=100))


class JoinedOut(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class AssignIn(Strict):
    deck_id = fields.Integer(required=True, validate=validate.Range(min=1, max=2**31 - 1))


class AssignedOut(Schema):
    class_id = fields.Integer(attribute="classroom_id", required=True)
    deck_id = fields.Integer(required=True)


class LearnerProgressOut(Schema):
    username = fields.String(required=True)
    reviews_7d = fields.Integer(required=True)
    retention_30d = fields.Float(allow_none=True, required=True)
    due = fields.Integer(required=True)
    last_active = fields.DateTime(allow_none=True, required=True)


class ProgressOut(Schema):
    learners = fields.List(fields.Nested(LearnerProgressOut), required=True)
