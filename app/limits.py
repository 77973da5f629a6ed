"""Every size limit of the app in one table. The database columns, the forms, the services, the API
schemas (and so the OpenAPI document) and the file imports all read it here, so the pages and the
OpenAPI document state the limits that are enforced."""
from __future__ import annotations

from vocab import termfile

# Longest text per term field, in characters (the Term columns are sized from this).
TERM_FIELDS = {
    "hanzi": 64,
    "traditional": 64,
    "pinyin": 200,
    "english": 2000,
    "example_zh": 2000,
    # Room for the pinyin made from the longest example (six letters and a space per character), so an
    # example never fails to be stored, or a deck's own export to import, for its made pinyin.
    "example_pinyin": 7 * 2000,
    "example_en": 2000,
    "note": 2000,
}
USERNAME = (2, 32)  # (fewest, most)
PASSWORD = (8, 256)
DECK_TITLE = 200
DECK_DESCRIPTION = 5000
CLASS_NAME = 200
JOIN_CODE_TYPED = 100  # what a learner may type: the 8-character code with spaces or dashes
CLIENT_REVIEW_ID = 64
LEARNER_NOTE = 2000  # a learner's own note on a word
SEARCH_TEXT = 200  # the card browser's search box (page and API)
SPOKEN_TEXT = 300  # characters the server reads aloud (a word or an example sentence; longer: no audio)
READER_TEXT = 20_000  # the reader, saved texts and POST /api/v1/annotate: a chapter, not a book
TEXT_TITLE = 200  # a saved text's title
PASTED_TEXT = 50_000  # text pasted to pick words from
TYPED_TERMS = 300  # terms typed or proposed at once on the page
DAILY_NEW_TARGET = 1000  # new words a day an assignment may ask for

# Counts and bytes per request.
TERMS_PER_REQUEST = 500  # POST /api/v1/decks/{id}/terms
TERMS_PER_FILE = termfile.MAX_ROWS  # one uploaded term file (page or API), saved all or nothing
REVIEWS_PER_REQUEST = 1000  # POST /api/v1/reviews
UPLOAD_BYTES = 5 * 1024 * 1024  # a term file (page upload and POST /decks/{id}/import)
API_BODY_BYTES = 1024 * 1024  # any other API request
FORM_BODY_BYTES = 16 * 1024 * 1024  # any page's form (Flask's MAX_CONTENT_LENGTH)
PER_PAGE = (100, 1000)  # API list pages: (default, most)


def megabytes(size: int) -> str:
    """'5 MB' for messages."""
    return f"{size // (1024 * 1024)} MB"
