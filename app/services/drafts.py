"""Draft terms for an instructor to review before saving: from typed words, pasted text, bilingual
text or an uploaded file. Nothing here writes to the database; saving goes through authoring.add_terms."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import vocab
from app import limits
from app.services.export import from_spreadsheet_cell
from vocab.termfile import HAN, TermFile, TermFileError, read_term_file

_SEPARATORS = re.compile(r"[\n,，、;；]+")


@dataclass
class DraftRow:
    """One proposed term, every field editable. `readings` lists the dictionary's readings when there are several."""

    hanzi: str
    traditional: str = ""
    pinyin: str = ""
    english: str = ""
    example_zh: str = ""
    example_en: str = ""
    note: str = ""
    hsk: int | None = None
    count: int = 1  # occurrences in pasted text
    line: int | None = None  # line in an uploaded file
    readings: list[tuple[str, str]] = field(default_factory=list)  # (pinyin, gloss) when ambiguous

    @property
    def ambiguous(self) -> bool:
        return len(self.readings) > 1

    def item(self) -> dict:
        """What authoring.add_terms takes."""
        return {"hanzi": self.hanzi, "traditional": self.traditional, "pinyin": self.pinyin,
                "english": self.english, "example_zh": self.example_zh, "example_en": self.example_en,
                "note": self.note}


@dataclass
class Draft:
    rows: list[DraftRow]
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, reason) for rows that cannot be used
    source: str = ""  # "typed", "text", "bilingual" or "file"
    description: str = ""  # e.g. "Pleco flashcard export, GB18030"


class DraftError(ValueError):
    """The input as a whole cannot give terms; the message says why."""


def _filled(row: DraftRow) -> DraftRow:
    """Fill what the instructor left out from the dictionary, and flag words with several readings."""
    info = vocab.lookup_term(row.hanzi)
    row.traditional = row.traditional or info.traditional
    row.english = row.english or info.gloss
    row.hsk = row.hsk if row.hsk is not None else info.hsk
    if not row.pinyin:
        row.pinyin = info.pinyin
        if info.ambiguous:
            row.readings = [(r.pinyin, r.gloss) for r in info.readings]
    return row


def from_typed(text: str) -> Draft:
    """One term per line (or separated by commas or 、); only the hanzi is needed."""
    words = [w.strip() for w in _SEPARATORS.split(text or "") if w.strip()]
    if not words:
        raise DraftError("Type at least one term.")
    if len(words) > limits.TYPED_TERMS:
        raise DraftError(f"At most {limits.TYPED_TERMS} terms at a time; upload a file for more.")
    rows, errors, seen = [], [], set()
    for number, word in enumerate(words, start=1):
        if not HAN.search(word):
            errors.append((number, f"{word!r} has no Chinese characters"))
        elif len(word) > limits.TERM_FIELDS["hanzi"]:
            errors.append((number, f"longer than {limits.TERM_FIELDS['hanzi']} characters"))
        elif word not in seen:
            seen.add(word)
            rows.append(_filled(DraftRow(hanzi=word)))
    return Draft(rows, errors, source="typed")


def from_text(text: str, known: set[str] = frozenset()) -> Draft:
    """Study words proposed from a Chinese text, ranked, each with the sentence it first appears in.

    Words already in `known` (e.g. the deck's terms) are left out."""
    _check_text(text)
    candidates = vocab.extract_terms(text, known=known)
    rows = [
        _filled(DraftRow(hanzi=c.simplified, traditional=c.traditional, pinyin=c.pinyin, english=c.gloss,
                         example_zh=c.context, hsk=c.hsk, count=c.count))
        for c in candidates[:limits.TYPED_TERMS]
    ]
    if not rows:
        raise DraftError("No new study words found in that text.")
    return Draft(rows, source="text")


def from_bilingual(text: str) -> Draft:
    """English with Chinese in parentheses: each term glossed by its English phrase, the sentence kept as context."""
    _check_text(text)
    terms = vocab.extract_bilingual(text)
    if not terms:
        raise DraftError("No Chinese terms in parentheses found, e.g. “the New Year holidays (过年)”.")
    rows, seen = [], set()
    for t in terms:
        if t.hanzi in seen:
            continue
        seen.add(t.hanzi)
        rows.append(_filled(DraftRow(hanzi=t.hanzi, pinyin=t.pinyin, english=t.english or t.gloss,
                                     example_en=t.sentence, hsk=t.hsk)))
    return Draft(rows[:limits.TYPED_TERMS], source="bilingual")


FORMAT_NAMES = {"csv": "CSV with a header", "tsv": "TSV with a header", "pleco": "Pleco flashcard export",
                "anki": "Anki notes in plain text"}


def from_file(data: bytes) -> Draft:
    """An uploaded term list (see vocab.termfile). Raises DraftError for a file that cannot be read."""
    try:
        parsed: TermFile = read_term_file(data)
    except TermFileError as error:
        raise DraftError(str(error)) from None
    # Cells a Guitu export neutralised ('=...) come back as they were.
    rows = [_filled(DraftRow(line=r.line, **{name: from_spreadsheet_cell(value) for name, value in r.values().items()}))
            for r in parsed.rows]
    description = f"{FORMAT_NAMES[parsed.format]}, {'GB18030' if parsed.encoding == 'gb18030' else 'UTF-8'}"
    if not rows and not parsed.errors:
        raise DraftError("The file has a header but no terms.")
    return Draft(rows, [(e.line, e.reason) for e in parsed.errors], source="file", description=description)


def _check_text(text: str) -> None:
    if not (text or "").strip():
        raise DraftError("Paste some text first.")
    if len(text) > limits.PASTED_TEXT:
        raise DraftError(f"At most {limits.PASTED_TEXT:,} characters at a time.")
