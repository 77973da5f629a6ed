"""Marshmallow schemas: what each endpoint accepts and returns, and so what the OpenAPI document says."""
from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import RAISE, Schema, ValidationError, fields, pre_load, validate

import vocab
from app.models import Direction, Role
from app.services.dictionary import SEARCH_LIMIT_MAX


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
    directions = fields.List(fields.String(validate=validate.OneOf([d.value for d in Direction])),
                             validate=validate.Length(min=1, max=len(Direction)),
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
    simplified = fields.String(metadata={"description": "the word in simplified characters ('' for punctuation …)"})
    traditional = fields.String()
    classifiers = fields.List(fields.String(), metadata={"description": "measure words of this reading, '列 (liè)'"})
    study_state = fields.String(allow_none=True, validate=validate.OneOf(["new", "learning", "known"]), metadata={
        "description": "for words: new (the caller has no card for it), learning (cards still in their learning "
                       "steps) or known (a card in review); null for punctuation, Latin, digits and spaces"})


class CoverageOut(Schema):
    words = fields.Integer(required=True, metadata={"description": "running words (names and numbers aside)"})
    known_words = fields.Integer(required=True)
    words_percent = fields.Float(allow_none=True, required=True)
    characters = fields.Integer(required=True, metadata={"description": "characters of those words"})
    known_characters = fields.Integer(required=True, metadata={
        "description": "characters the caller knows a word with"})
    characters_percent = fields.Float(allow_none=True, required=True)


class AnnotateOut(Schema):
    tokens = fields.List(fields.Nested(TokenInfoOut), required=True)
    known = fields.Nested(CoverageOut, metadata={"description": "how much of the text the caller knows"})


# ---- saved texts and the dictionary -----------------------------------------------------------

class TextIn(Strict):
    title = fields.String(load_default="", validate=validate.Length(max=1000),
                          metadata={"description": "optional; the first line of the text when empty"})
    text = fields.String(required=True)
    deck_id = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=2**31 - 1),
                             metadata={"description": "instructors: attach to one of their decks"})
    class_ids = fields.List(fields.Integer(validate=validate.Range(min=1, max=2**31 - 1)),
                            validate=validate.Length(max=100),
                            metadata={"description": "instructors: share with these classes of theirs"})


class TextSummaryOut(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    length = fields.Integer(required=True, metadata={"description": "characters"})
    created_at = fields.DateTime(required=True)
    owned = fields.Boolean(required=True, metadata={"description": "the caller saved it (and may delete it)"})
    deck_id = fields.Integer(allow_none=True)
    class_ids = fields.List(fields.Integer())
    hsk_profile = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={
        "description": "running words by HSK 3.0 level: '1'-'6', '7' for 7-9, 'none' for unlisted"})
    known = fields.Nested(CoverageOut, required=True)


class TextListOut(Schema):
    texts = fields.List(fields.Nested(TextSummaryOut), required=True)


class TextOut(TextSummaryOut):
    text = fields.String(required=True)
    tokens = fields.List(fields.Nested(TokenInfoOut), required=True)


class DictionaryQuery(Strict):
    q = fields.String(required=True, validate=validate.Length(min=1, max=vocab.SEARCH_QUERY_MAX), metadata={
        "description": "characters (simplified or traditional), pinyin with or without tones and spaces "
                       "(guojia, guo2jia1, guó jiā) or English (railway station)"})
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=SEARCH_LIMIT_MAX))


class DictionaryEntryOut(Schema):
    simplified = fields.String(required=True)
    traditional = fields.String(required=True)
    pinyin = fields.String(required=True, metadata={"description": "tone marks, 'guójiā'"})
    pinyin_numbers = fields.String(metadata={"description": "as CC-CEDICT writes it, 'guo2 jia1'"})
    senses = fields.List(fields.String(), required=True)
    hsk = fields.Integer(allow_none=True, required=True)
    classifiers = fields.List(fields.String(), required=True, metadata={"description": "measure words, '个 (gè)'"})
    references = fields.List(fields.String(), metadata={"description": "'variant of …', 'see also …'"})
    proper_noun = fields.Boolean(metadata={"description": "a name, place, brand or title"})


class DictionaryOut(Schema):
    entries = fields.List(fields.Nested(DictionaryEntryOut), required=True)


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
