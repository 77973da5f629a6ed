"""Every size limit in one table: the database columns, the forms, the API schemas and the file
imports read it here, so the OpenAPI document and the pages state the limits that are enforced."""
from __future__ import annotations

# Longest text per term field, in characters (the Term columns are sized from this).
TERM_FIELDS = {
    "hanzi": 64,
    "traditional": 64,
    "pinyin": 200,
    "english": 2000,
    "example_zh": 2000,
    "example_pinyin": 4000,
    "example_en": 2000,
    "note": 2000,
}
DECK_TITLE = 200  # characters
DECK_DESCRIPTION = 5000  # characters
UPLOAD_BYTES = 5 * 1024 * 1024  # one term file (page upload and POST /decks/{id}/import)
FILE_TERMS = 20_000  # terms in one file import
REQUEST_TERMS = 500  # terms in one POST /decks/{id}/terms
TYPED_TERMS = 300  # terms typed or proposed at once on the page
PASTED_TEXT = 50_000  # characters of pasted text to pick words from
DAILY_NEW_TARGET = 1000  # new words a day an assignment may ask for


def megabytes(size: int) -> str:
    """'5 MB' for messages."""
    return f"{size // (1024 * 1024)} MB"
