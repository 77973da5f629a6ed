"""Marshmallow schemas: what each endpoint accepts and returns, and so what the OpenAPI document says."""
from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import RAISE, Schema, ValidationError, fields, validate

import vocab
from app import limits
from app.edge import ID_MAX
from app.models import Direction, Role
from app.services import speech
from app.services.cards import SORTS, StateFilter
from app.services.dictionary import SEARCH_LIMIT_MAX
from app.services.imports import Duplicates
from vocab.termfile import FIELDS, TermFileError, check_columns


class Strict(Schema):
    class Meta:
        unknown = RAISE  # a misspelt field ("ratng") is an error, not silently ignored


# The edge (app.edge) refuses NUL in every request; the pattern says so in the OpenAPI document.
NO_NUL = validate.Regexp(r"^[^\x00]*$", error="Text may not contain the NUL character (U+0000).")


def Text(most: int, *, fewest: int = 0, **kwargs) -> fields.String:
    """A string field with its real limits, from app.limits: length, and no NUL."""
    return fields.String(validate=[validate.Length(min=fewest, max=most), NO_NUL], **kwargs)


def Id(**kwargs) -> fields.Integer:
    return fields.Integer(validate=validate.Range(min=1, max=ID_MAX), **kwargs)


class PageIn(Strict):
    """Which page of a list: ?page=1&per_page=100. The answer's Link header has the first, prev, next
    and last pages; X-Total-Count the number of items."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=ID_MAX))
    per_page = fields.Integer(load_default=limits.PER_PAGE[0], validate=validate.Range(min=1, max=limits.PER_PAGE[1]))


PAGE_HEADERS = {
    "Link": {"description": "RFC 8288 links to the first, prev, next and last pages", "schema": {"type": "string"}},
    "X-Total-Count": {"description": "how many items there are in all", "schema": {"type": "integer"}},
}


# ---- tokens, users ----------------------------------------------------------------------------

class TokenOut(Schema):
    token = fields.String(required=True)
    expires_at = fields.DateTime(required=True)


class UserIn(Strict):
    username = Text(limits.USERNAME[1], fewest=limits.USERNAME[0], required=True, metadata={
        "description": "letters (any script), digits, '.', '-' or '_'; NFKC-normalised; not confusable with "
                       "an existing name"})
    password = Text(limits.PASSWORD[1], fewest=limits.PASSWORD[0], required=True, load_only=True)
    role = fields.String(load_default=Role.LEARNER.value,
                         validate=validate.OneOf([Role.LEARNER.value, Role.INSTRUCTOR.value]))
    timezone = Text(64, fewest=1, metadata={"description": "IANA name (default UTC); the study day starts at "
                                                          "4 a.m. there", "example": "Asia/Shanghai"})


class UserOut(Schema):
    id = fields.Integer(required=True)
    username = fields.String(required=True)
    role = fields.Function(lambda user: user.role.value, required=True)


class MeOut(UserOut):
    """The caller's account and every study setting."""

    desired_retention = fields.Float(required=True, metadata={"description": "0.70 to 0.97"})
    new_cards_per_day = fields.Integer(required=True)
    max_reviews_per_day = fields.Integer(required=True)
    learning_steps = fields.String(required=True, metadata={"example": "1m 10m"})
    relearning_steps = fields.String(required=True, metadata={"example": "10m"})
    timezone = fields.String(required=True, metadata={"description": "IANA name; the study day starts at 4 a.m. there"})
    script = fields.Function(lambda user: user.script.value, required=True,
                             metadata={"description": "simplified or traditional"})
    tone_colors = fields.Boolean(required=True)
    voice = fields.Function(lambda user: user.voice.value, required=True, metadata={
        "description": "browser: the device's own Chinese voice where it has one, else the server's audio; "
                       "server: always the server's audio"})


class MePatchIn(Strict):
    desired_retention = fields.Float(validate=validate.Range(min=0.70, max=0.97))
    new_cards_per_day = fields.Integer(validate=validate.Range(min=0, max=1000))
    max_reviews_per_day = fields.Integer(validate=validate.Range(min=0, max=10000))
    learning_steps = Text(64, metadata={"example": "1m 10m"})
    relearning_steps = Text(64, metadata={"example": "10m"})
    timezone = Text(64, fewest=1, metadata={"example": "Asia/Shanghai"})
    script = fields.String(validate=validate.OneOf(["simplified", "traditional"]))
    tone_colors = fields.Boolean()
    voice = fields.String(validate=validate.OneOf(["browser", "server"]))


# ---- decks and terms --------------------------------------------------------------------------

class DeckSummaryOut(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    description = fields.String()
    term_count = fields.Integer(required=True)
    builtin = fields.Boolean(required=True)
    owned = fields.Boolean(metadata={"description": "the caller owns the deck (and may add terms)"})
    cards = fields.Integer(metadata={"description": "the caller's cards in the deck (0: not started)"})
    due = fields.Integer(metadata={"description": "the caller's learning cards and reviews due now"})
    new = fields.Integer(metadata={"description": "new cards today's limits allow from this deck"})
    priority = fields.Integer(allow_none=True, metadata={
        "description": "where the deck's new cards come among the caller's decks, 1 (first) to 5 (last); null: "
                       "not studied. The caller's own words come first of all"})
    new_per_day = fields.Integer(allow_none=True, metadata={"description": "the deck's own new-card limit"})


class DeckListOut(Schema):
    decks = fields.List(fields.Nested(DeckSummaryOut), required=True)


class DeckIn(Strict):
    title = Text(limits.DECK_TITLE, fewest=1, required=True)
    description = Text(limits.DECK_DESCRIPTION, load_default="")


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
    audio_url = fields.Function(lambda term: speech.audio_url(term.simplified, external=True), allow_none=True,
                                metadata={"description": "the word read aloud (audio/wav)"})
    example_audio_url = fields.Function(lambda term: speech.audio_url(term.example_zh, external=True),
                                        allow_none=True, metadata={"description": "the example sentence read aloud"})


class DeckOut(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    builtin = fields.Boolean(required=True)
    term_count = fields.Integer(metadata={"description": "all the deck's terms; `terms` holds one page of them"})
    terms = fields.List(fields.Nested(TermOut), metadata={"description": "one page (page, per_page)"})


DUPLICATES_DOC = ("what to do with a term already in the deck: update (its fields become the row's non-empty "
                  "ones), skip, or keep_both (a different reading becomes a term of its own, 行 xíng and 行 háng); "
                  "without it such a term is refused")


class TermIn(Strict):
    hanzi = Text(limits.TERM_FIELDS["hanzi"], fewest=1, required=True)
    pinyin = Text(limits.TERM_FIELDS["pinyin"], metadata={
        "description": "tone numbers or marks; stored in marks. Latin letters of the term are part of it "
                       "(卡拉OK kǎlā OK)"})
    english = Text(limits.TERM_FIELDS["english"])
    traditional = Text(limits.TERM_FIELDS["traditional"])
    example_zh = Text(limits.TERM_FIELDS["example_zh"])
    example_pinyin = Text(limits.TERM_FIELDS["example_pinyin"], metadata={"description": "default: from example_zh"})
    example_en = Text(limits.TERM_FIELDS["example_en"])
    note = Text(limits.TERM_FIELDS["note"])


class TermsIn(Strict):
    terms = fields.List(fields.Nested(TermIn), required=True,
                        validate=validate.Length(min=1, max=limits.TERMS_PER_REQUEST))
    duplicates = fields.Enum(Duplicates, by_value=True, metadata={"description": DUPLICATES_DOC})


class TermsOut(Schema):
    terms = fields.List(fields.Nested(TermOut), required=True, metadata={"description": "added, then updated"})


class ImportIn(Schema):
    file = Upload(required=True, metadata={
        "description": "CSV/TSV with a header, a Pleco flashcard export or Anki's Notes in Plain Text (with or "
                       f"without its # header lines); UTF-8 or GB18030; at most {limits.megabytes(limits.UPLOAD_BYTES)} "
                       f"and {limits.TERMS_PER_FILE:,} terms"})


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
    directions = fields.List(fields.String(validate=validate.OneOf([d.value for d in Direction])),
                             validate=validate.Length(min=1, max=len(Direction)),
                             metadata={"description": "card directions to study (default: recognition, recall)"})
    priority = fields.Integer(validate=validate.Range(min=1, max=5),
                              metadata={"description": "1 (its new cards first) to 5 (last); default 3"})
    new_per_day = fields.Integer(allow_none=True, validate=validate.Range(min=0, max=1000),
                                 metadata={"description": "the deck's own new cards per day; null: the global limit only"})


class StudyOut(Schema):
    cards = fields.Integer(required=True)


# ---- cards and review -------------------------------------------------------------------------

STATE_DOC = "0 new (never reviewed), 1 learning, 2 review, 3 relearning (fsrs.State)"


class CardOut(Schema):
    id = fields.Integer(required=True)
    term_id = fields.Integer(required=True)
    deck_id = fields.Integer()
    direction = fields.String(required=True)
    queue = fields.String(metadata={"description": "new, learning (or relearning) or review"})
    state = fields.Integer(required=True, metadata={"description": STATE_DOC})
    due = fields.DateTime(required=True)
    stability = fields.Float(allow_none=True, metadata={"description": "days"})
    difficulty = fields.Float(allow_none=True, metadata={"description": "1 (easy) to 10 (hard)"})
    reps = fields.Integer()
    lapses = fields.Integer()
    last_review = fields.DateTime(allow_none=True)
    suspended = fields.Boolean()
    buried = fields.Boolean(metadata={"description": "hidden until the caller's next study day"})
    version = fields.Integer(metadata={"description": "changes with every review; send it with the next one"})
    hanzi = fields.String(metadata={"description": "the word in the caller's script"})
    simplified = fields.String()
    traditional = fields.String()
    pinyin = fields.String()
    english = fields.String()
    audio_url = fields.String(allow_none=True, metadata={"description": "the word read aloud (audio/wav)"})


class CardDetailOut(CardOut):
    retrievability = fields.Float(allow_none=True,
                                  metadata={"description": "probability of recall now, 0-1; null if never reviewed"})
    note = fields.String(metadata={"description": "the caller's own note on the word"})


class CardListOut(Schema):
    cards = fields.List(fields.Nested(CardOut), required=True)


class CardSearchIn(PageIn):
    q = Text(limits.SEARCH_TEXT, metadata={"description": "hanzi (either script), pinyin with or without tones "
                                                          "(guonian, guo4nian2, guònián) or English"})
    deck_id = Id()
    state = fields.String(validate=validate.OneOf([s.value for s in StateFilter]))
    suspended = fields.Boolean()
    buried = fields.Boolean()
    due = fields.Boolean(metadata={"description": "due now (the review queue's rule)"})
    sort = fields.String(load_default="due", validate=validate.OneOf(list(SORTS)))
    order = fields.String(load_default="asc", validate=validate.OneOf(["asc", "desc"]))


class CardPatchIn(Strict):
    suspended = fields.Boolean()
    buried = fields.Boolean(metadata={"description": "true: until the next study day; false: show it again now"})
    forget = fields.Boolean(metadata={"description": "true: reset to new (the review history stays)"})
    note = Text(limits.LEARNER_NOTE, metadata={"description": "the caller's own note on the word; empty removes it"})


class ReviewRowOut(Schema):
    reviewed_at = fields.DateTime(required=True)
    rating = fields.Integer(required=True, metadata={"description": "1 again, 2 hard, 3 good, 4 easy"})
    interval_days = fields.Float(allow_none=True, metadata={"description": "days until the card was due again"})
    stability = fields.Float(allow_none=True, metadata={"description": "days, after the review"})
    difficulty = fields.Float(allow_none=True, metadata={"description": "1-10, after the review"})
    duration_ms = fields.Integer(allow_none=True, metadata={"description": "time taken"})


class ReviewListOut(Schema):
    reviews = fields.List(fields.Nested(ReviewRowOut), required=True)



class NextIn(Strict):
    deck_id = Id()


class CountsOut(Schema):
    new = fields.Integer(required=True, metadata={"description": "new cards today's limits still allow"})
    learning = fields.Integer(required=True, metadata={"description": "learning cards due now"})
    review = fields.Integer(required=True, metadata={"description": "reviews due today (within the limit)"})
    learning_ahead = fields.Integer(metadata={"description": "learning cards due within the next 20 minutes"})
    waiting = fields.String(allow_none=True, metadata={
        "description": "when nothing is due but learning cards come soon: '3 learning cards in the next 20 minutes'"})


class UndoneOut(Schema):
    undone = fields.String(required=True, metadata={"description": "what was undone: 'Good on 打工'"})
    kind = fields.String(required=True, metadata={"description": "grade, suspend, unsuspend, bury, unbury or forget"})
    card_id = fields.Integer(required=True)


class MoreIn(Strict):
    new_cards = fields.Integer(load_default=0, validate=validate.Range(min=0, max=1000),
                               metadata={"description": "more new cards today"})
    ahead_days = fields.Integer(load_default=0, validate=validate.Range(min=0, max=30),
                                metadata={"description": "review cards due within this many days after today"})


class ReviewCardOut(Schema):
    id = fields.Integer(required=True)
    term_id = fields.Integer()
    direction = fields.String(required=True)
    queue = fields.String(metadata={"description": "new, learning or review"})
    version = fields.Integer()
    audio_url = fields.String(allow_none=True, metadata={
        "description": "the word read aloud (audio/wav); null for recall cards, whose answer it is. The front and "
                       "back carry their own audio_url (and the back example_audio_url)"})
    front = fields.Dict(keys=fields.String(), required=True)
    back = fields.Dict(keys=fields.String(), required=True)
    intervals = fields.Dict(keys=fields.String(), values=fields.Integer(),
                            metadata={"description": "seconds until due again, per rating 1-4 (no fuzz)"})


class NextOut(Schema):
    card = fields.Nested(ReviewCardOut, required=True)
    counts = fields.Nested(CountsOut, required=True)


class ReviewIn(Strict):
    card_id = Id(required=True)
    rating = fields.Integer(required=True, validate=validate.Range(min=1, max=4))
    client_review_id = Text(limits.CLIENT_REVIEW_ID, fewest=1, required=True)
    reviewed_at = fields.AwareDateTime(metadata={"description": "ISO 8601 with offset; default: now"})
    duration_ms = fields.Integer(validate=validate.Range(min=0, max=24 * 3600 * 1000))
    version = fields.Integer(validate=validate.Range(min=1, max=ID_MAX), metadata={
        "description": "the card's version as /review/next or /cards/{id} showed it: when the card was graded "
                       "since, the review is refused (409) instead of recorded twice"})


class ReviewsIn(Strict):
    reviews = fields.List(fields.Nested(ReviewIn), required=True,
                          validate=validate.Length(min=1, max=limits.REVIEWS_PER_REQUEST))
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
    text = fields.String(required=True, validate=NO_NUL, metadata={
        "description": f"at most {limits.READER_TEXT:,} characters (413 beyond)", "maxLength": limits.READER_TEXT})


class OtherReadingOut(Schema):
    pinyin = fields.String(required=True, metadata={"description": "tone marks, as the dictionary writes it"})
    pinyin_numbers = fields.String(required=True)
    english = fields.String(required=True, metadata={"description": "its senses, separated by '; '"})


class TokenInfoOut(Schema):
    text = fields.String(required=True, metadata={"description": "the token in the caller's script"})
    simplified = fields.String(metadata={"description": "the token in simplified characters"})
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
    title = Text(limits.TEXT_TITLE, load_default="",
                 metadata={"description": "optional; the first line of the text when empty"})
    text = fields.String(required=True, validate=NO_NUL, metadata={
        "description": f"at most {limits.READER_TEXT:,} characters (413 beyond)", "maxLength": limits.READER_TEXT})
    deck_id = Id(allow_none=True, metadata={"description": "instructors: attach to one of their decks"})
    class_ids = fields.List(Id(), validate=validate.Length(max=100),
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
    q = Text(vocab.SEARCH_QUERY_MAX, fewest=1, required=True, metadata={
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
    name = Text(limits.CLASS_NAME, fewest=1, required=True)


class ClassOut(Schema):
    id = fields.Integer(required=True)
    name = fields.String()
    join_code = fields.String(required=True)


class JoinIn(Strict):
    code = Text(limits.JOIN_CODE_TYPED, fewest=1, required=True)


class JoinedOut(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class AssignIn(Strict):
    deck_id = Id(required=True)
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
