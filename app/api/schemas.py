"""Marshmallow schemas: what each endpoint accepts and returns, and so what the OpenAPI document says."""
from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import RAISE, Schema, ValidationError, fields, pre_load, validate

from app import limits
from app.models import Role
from app.services.imports import Duplicates
from vocab.termfile import FIELDS, TermFileError, check_columns


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
    title = fields.String(required=True, validate=validate.Length(min=1, max=limits.DECK_TITLE))
    description = fields.String(load_default="", validate=validate.Length(max=limits.DECK_DESCRIPTION))


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


def _term_field(name: str, **kwargs):
    return fields.String(validate=validate.Length(max=limits.TERM_FIELDS[name]), **kwargs)


DUPLICATES_DOC = ("what to do with a term already in the deck: update (its fields become the row's non-empty "
                  "ones), skip, or keep_both (a different reading becomes a term of its own, 行 xíng and 行 háng); "
                  "without it such a term is refused")


class TermIn(Strict):
    hanzi = _term_field("hanzi", required=True)
    pinyin = _term_field("pinyin", metadata={"description": "tone numbers or marks; stored in marks. Latin "
                                                            "letters of the term are part of it (卡拉OK kǎlā OK)"})
    english = _term_field("english")
    traditional = _term_field("traditional")
    example_zh = _term_field("example_zh")
    example_pinyin = _term_field("example_pinyin", metadata={"description": "default: from example_zh"})
    example_en = _term_field("example_en")
    note = _term_field("note")


class TermsIn(Strict):
    terms = fields.List(fields.Nested(TermIn), required=True,
                        validate=validate.Length(min=1, max=limits.REQUEST_TERMS))
    duplicates = fields.Enum(Duplicates, by_value=True, metadata={"description": DUPLICATES_DOC})


class TermsOut(Schema):
    terms = fields.List(fields.Nested(TermOut), required=True, metadata={"description": "added, then updated"})


class ImportIn(Schema):
    file = Upload(required=True, metadata={
        "description": "CSV/TSV with a header, a Pleco flashcard export or Anki's Notes in Plain Text (with or "
                       f"without its # header lines); UTF-8 or GB18030; at most {limits.megabytes(limits.UPLOAD_BYTES)} "
                       f"and {limits.FILE_TERMS:,} terms"})


class _Columns(fields.String):
    """'hanzi,pinyin,,english': the field of each column in order, empty for a column left out."""

    def _deserialize(self, value, attr, data, **kwargs):
        names = [name.strip() or None for name in super()._deserialize(value, attr, data, **kwargs).split(",")]
        try:
            check_columns(names)
        except TermFileError as error:
            raise ValidationError(str(error)) from None
        return names


class ImportQuery(Strict):
    skip_invalid = fields.Boolean(load_default=False, metadata={
        "description": "import the good rows and skip the bad ones (unreadable lines and rows the deck's rules "
                       "refuse); by default one bad row refuses the file"})
    duplicates = fields.Enum(Duplicates, by_value=True, metadata={"description": DUPLICATES_DOC})
    columns = _Columns(validate=validate.Length(max=1000), metadata={
        "description": "the field each column holds, in order, comma-separated, empty for a column to leave out "
                       f"({', '.join(FIELDS)}); default: the header's names or, without one, a guess from "
                       "what each column holds"})


class ImportOut(Schema):
    imported = fields.Integer(required=True, metadata={"description": "terms added or updated"})
    added = fields.Integer(required=True)
    updated = fields.Integer(required=True)
    skipped = fields.List(fields.Dict(), required=True, metadata={"description": "[{line, reason}] left out"})
    format = fields.String(required=True)
    columns = fields.List(fields.String(allow_none=True), required=True,
                          metadata={"description": "the field each column was read as (null: left out)"})


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


class OtherReadingOut(Schema):
    pinyin = fields.String(required=True, metadata={"description": "tone marks, as the dictionary writes it"})
    pinyin_numbers = fields.String(required=True)
    english = fields.String(required=True, metadata={"description": "its senses, separated by '; '"})


class TokenInfoOut(Schema):
    text = fields.String(required=True)
    kind = fields.String(metadata={"description": "word, name (a person or place), number, punctuation, "
                                                  "latin, whitespace or other"})
    pinyin = fields.String(required=True, metadata={"description": "the reading in this context, as a "
                                                                   "textbook prints it (一起 yìqǐ)"})
    pinyin_numbers = fields.String(required=True, metadata={"description": "the same, one numbered syllable "
                                                                           "per character (erhua 儿 as r5)"})
    english = fields.String(required=True, metadata={"description": "senses separated by '; ', the sense "
                                                                    "for this context first"})
    senses = fields.List(fields.String(), metadata={"description": "every sense of the chosen entry, "
                                                                   "the one for this context first"})
    other_readings = fields.List(fields.Nested(OtherReadingOut),
                                 metadata={"description": "the word's other dictionary readings"})
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
    due_on = fields.Date(metadata={"description": "every word started by this date (YYYY-MM-DD, UTC days)"})
    daily_new = fields.Integer(validate=validate.Range(min=1, max=limits.DAILY_NEW_TARGET),
                               metadata={"description": "new words a day (until due_on, if given)"})


class AssignedOut(Schema):
    class_id = fields.Integer(attribute="classroom_id", required=True)
    deck_id = fields.Integer(required=True)
    due_on = fields.Date(allow_none=True)
    daily_new = fields.Integer(allow_none=True)


class LearnerProgressOut(Schema):
    username = fields.String(required=True)
    reviews_7d = fields.Integer(required=True)
    retention_30d = fields.Float(allow_none=True, required=True)
    due = fields.Integer(required=True)
    last_active = fields.DateTime(allow_none=True, required=True,
                                  metadata={"description": "the learner's latest review in any deck"})
    on_track = fields.Boolean(allow_none=True, metadata={
        "description": "started as many words as every targeted assignment expects by today; null: no target"})


class ProgressOut(Schema):
    learners = fields.List(fields.Nested(LearnerProgressOut), required=True)
