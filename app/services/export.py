"""Deck export: CSV that the importer reads back losslessly, and Anki packages (.apkg) made with genanki."""
from __future__ import annotations

import csv
import hashlib
import html
import io
import os
import re
import tempfile

import genanki
from flask import Response

from app.models import Deck

CSV_COLUMNS = ("hanzi", "traditional", "pinyin", "english", "example_zh", "example_pinyin", "example_en", "note",
               "hsk")
CSV_TYPE = "text/csv; charset=utf-8"  # the charset named once: Response(content_type=...) adds none

# Fixed forever: Anki recognises the note type by this id, so a re-imported export updates notes.
ANKI_MODEL_ID = 1_607_392_319
ANKI_FIELDS = ["Hanzi", "Traditional", "Pinyin", "Meaning", "Example", "ExamplePinyin", "Translation", "Note", "HSK"]
_BACK = """
<div class="hanzi">{{Hanzi}}</div>
<div class="pinyin">{{Pinyin}}</div>
<div class="meaning">{{Meaning}}</div>
{{#HSK}}<div class="hsk">HSK {{HSK}}</div>{{/HSK}}
{{#Example}}<hr><div class="example">{{Example}}</div><div class="pinyin small">{{ExamplePinyin}}</div>
<div class="translation">{{Translation}}</div>{{/Example}}
{{#Note}}<div class="note">{{Note}}</div>{{/Note}}
"""
ANKI_MODEL = genanki.Model(
    ANKI_MODEL_ID,
    "Guitu Chinese term",
    fields=[{"name": name} for name in ANKI_FIELDS],
    templates=[
        {"name": "Recognition", "qfmt": '<div class="hanzi">{{Hanzi}}</div>',
         "afmt": '{{FrontSide}}<hr id="answer">' + _BACK},
        {"name": "Recall", "qfmt": '<div class="meaning">{{Meaning}}</div>',
         "afmt": '{{FrontSide}}<hr id="answer">' + _BACK},
    ],
    css=".card{font-family:sans-serif;text-align:center;font-size:20px}.hanzi{font-size:48px}"
        ".pinyin{color:#555}.small{font-size:16px}.example,.note{text-align:left}.note{background:#fff8e6}",
)


# ---- CSV a spreadsheet opens safely -----------------------------------------------------------

# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(...), +cmd|...).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# What spreadsheet_cell escapes besides formulas: apostrophes already leading one, so the import's
# from_spreadsheet_cell can undo exactly what the export did.
_ESCAPED = re.compile(r"'+[=+\-@\t\r]")


def spreadsheet_cell(value):
    """The cell as a spreadsheet should show it: text that would start a formula gets an apostrophe
    in front (the usual neutralisation; spreadsheets hide it). Numbers and None pass unchanged."""
    if isinstance(value, str) and (value.startswith(FORMULA_START) or _ESCAPED.match(value)):
        return "'" + value
    return value


def from_spreadsheet_cell(value: str) -> str:
    """Undo spreadsheet_cell on an imported cell, so an exported deck imports back unchanged."""
    return value[1:] if _ESCAPED.match(value) else value


class SpreadsheetWriter:
    """csv.writer for every CSV the app exports: each cell goes through spreadsheet_cell, and rows end
    in CRLF (RFC 4180), so the csv module quotes every field holding a CR or LF of its own."""

    def __init__(self, out):
        self._writer = csv.writer(out, lineterminator="\r\n")

    def writerow(self, row) -> None:
        self._writer.writerow([spreadsheet_cell(value) for value in row])


# ---- decks ------------------------------------------------------------------------------------

def deck_csv(deck: Deck) -> str:
    """The deck as CSV with a header row, starting with a BOM so spreadsheet programs read it as
    UTF-8; importing it into an empty deck recreates the same terms, field for field."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = SpreadsheetWriter(out)
    writer.writerow(CSV_COLUMNS)
    for term in deck.terms:
        writer.writerow([term.simplified, term.traditional, term.pinyin, term.english, term.example_zh,
                         term.example_pinyin, term.example_en, term.note, term.hsk_level or ""])
    return out.getvalue()


def anki_deck_id(deck: Deck) -> int:
    """Stable per deck, so Anki updates the same deck on every import."""
    digest = hashlib.sha256(f"guitu-deck:{deck.slug or deck.id}".encode()).digest()
    return int.from_bytes(digest[:7], "big")  # below 2**63, as Anki's ids must be


def note_guid(deck: Deck, simplified: str, pinyin: str | None = None) -> str:
    """A note's id in Anki: by the term's characters, as every export so far; a second term with
    the same characters (行 háng beside 行 xíng) adds its reading."""
    if pinyin is None:
        return genanki.guid_for("guitu", deck.slug or deck.id, simplified)
    return genanki.guid_for("guitu", deck.slug or deck.id, simplified, pinyin)


def deck_apkg(deck: Deck) -> bytes:
    """An Anki package: one note per term with recognition and recall cards; stable ids for updates."""
    anki_deck = genanki.Deck(anki_deck_id(deck), deck.title, description=html.escape(deck.description or ""))
    first = {}  # simplified -> id of the oldest term written that way, which keeps the plain note id
    for term in sorted(deck.terms, key=lambda t: t.id):
        first.setdefault(term.simplified, term.id)
    for term in deck.terms:
        fields = [term.simplified, term.traditional, term.pinyin, term.english, term.example_zh,
                  term.example_pinyin, term.example_en, term.note, str(term.hsk_level or "")]
        guid = note_guid(deck, term.simplified, None if first[term.simplified] == term.id else term.pinyin)
        anki_deck.add_note(genanki.Note(model=ANKI_MODEL, fields=[html.escape(f) for f in fields],
                                        guid=guid, tags=["guitu"]))
    handle, path = tempfile.mkstemp(suffix=".apkg")
    os.close(handle)
    try:
        genanki.Package(anki_deck).write_to_file(path)
        with open(path, "rb") as file:
            return file.read()
    finally:
        os.unlink(path)


def deck_file(deck: Deck, fmt: str) -> tuple[bytes, str, str]:
    """The deck as a download: (body, content type, filename) for fmt "csv" or "apkg"."""
    if fmt == "csv":
        return deck_csv(deck).encode("utf-8"), CSV_TYPE, f"guitu-deck-{deck.id}.csv"
    if fmt == "apkg":
        return deck_apkg(deck), "application/octet-stream", f"guitu-deck-{deck.id}.apkg"
    raise ValueError(f"unknown export format {fmt!r}")


def download(deck: Deck, fmt: str) -> Response:
    """The deck file as an attachment, for the pages and the API alike."""
    body, content_type, filename = deck_file(deck, fmt)
    return Response(body, content_type=content_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
