"""Draft terms for an instructor to review before saving: from typed words, pasted text, bilingual
text or an uploaded file. Nothing here writes to the database; saving goes through imports.import_terms."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import vocab
from app import limits
from app.services.export import from_spreadsheet_cell
from vocab.termfile import FIELDS, TermFile, TermFileError, check_columns, read_term_file

_SEPARATORS = re.compile(r"[\n,，、;；]+")


@dataclass
class DraftRow:
    """One proposed term, every field editable. `readings` lists the dictionary's readings when there are several."""

    hanzi: str
    traditional: str = ""
    pinyin: str = ""
    english: str = ""
    example_zh: str = ""
    example_pinyin: str = ""
    example_en: str = ""
    note: str = ""
    hsk: int | None = None
    count: int = 1  # occurrences in pasted text
    line: int | None = None  # line in an uploaded file
    readings: list[tuple[str, str]] = field(default_factory=list)  # (pinyin, gloss) when ambiguous
    existing: list[str] = field(default_factory=list)  # readings of this word already in the deck
    problems: list[str] = field(default_factory=list)  # why the row cannot be saved as it is
    include: bool = True  # ticked in the preview
    simplified: str = ""  # the dictionary's simplified form of hanzi, once looked up

    @property
    def ambiguous(self) -> bool:
        return len(self.readings) > 1

    def item(self) -> dict:
        """What imports.import_terms takes."""
        values = {name: getattr(self, name) for name in FIELDS}
        return {**values, "line": self.line} if self.line is not None else values


@dataclass
class Draft:
    rows: list[DraftRow]
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, reason) for lines that are not rows
    source: str = ""  # "typed", "text", "bilingual" or "file"
    description: str = ""  # e.g. "Pleco flashcard export, GB18030"
    headers: list[str] = field(default_factory=list)  # a file's columns, as named in it or "Column N"
    columns: list[str | None] = field(default_factory=list)  # the field each file column is read as
    samples: list[list[str]] = field(default_factory=list)  # a file's first rows, for choosing columns
    guessed: bool = False  # the columns were guessed from their content
    format: str = ""

    @property
    def existing(self) -> list[DraftRow]:
        return [row for row in self.rows if row.existing]


class DraftError(ValueError):
    """The input as a whole cannot give terms; the message says why."""


def _filled(row: DraftRow) -> DraftRow:
    """Fill what the instructor left out from the dictionary, and flag words with several readings."""
    if not vocab.HAN.search(row.hanzi) or len(row.hanzi) > limits.TERM_FIELDS["hanzi"]:
        return row  # left as it is, for the import's check to say what is wrong
    info = vocab.lookup_term(row.hanzi)
    row.simplified = info.simplified
    row.traditional = row.traditional or info.traditional
    row.english = row.english or info.gloss
    row.hsk = row.hsk if row.hsk is not None else info.hsk
    if not row.pinyin:
        row.pinyin = info.pinyin
        if info.ambiguous:
            row.readings = [(r.pinyin, r.gloss) for r in info.readings]
    return row


def reading_gloss(hanzi: str, pinyin: str, english: str) -> str:
    """The gloss to keep when the instructor chose `pinyin` among a word's readings: the chosen
    reading's own gloss if `english` is still another reading's (the preview's default, left
    unedited), else what they wrote. The page's script does the same as the choice changes."""
    if not vocab.HAN.search(hanzi or "") or len(hanzi) > limits.TERM_FIELDS["hanzi"]:
        return english
    readings = vocab.lookup_term(hanzi).readings
    chosen = next((r for r in readings if r.pinyin == pinyin), None)
    if chosen and any(r.gloss == english and r is not chosen for r in readings):
        return chosen.gloss
    return english


def from_typed(text: str) -> Draft:
    """One term per line (or separated by commas or 、); only the hanzi is needed."""
    words = [w.strip() for w in _SEPARATORS.split(text or "") if w.strip()]
    if not words:
        raise DraftError("Type at least one term.")
    if len(words) > limits.TYPED_TERMS:
        raise DraftError(f"At most {limits.TYPED_TERMS} terms at a time; upload a file for more.")
    rows, errors, seen = [], [], set()
    for number, word in enumerate(words, start=1):
        if not vocab.HAN.search(word):
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


def from_file(data: bytes, columns: list[str | None] | None = None) -> Draft:
    """An uploaded term list (see vocab.termfile), its columns read as `columns` says when given.
    Raises DraftError for a file that cannot be read."""
    if len(data) > limits.UPLOAD_BYTES:
        raise DraftError(f"Files may be at most {limits.megabytes(limits.UPLOAD_BYTES)}.")
    try:
        if columns is not None:
            check_columns(columns)
        parsed: TermFile = read_term_file(data, max_rows=limits.TERMS_PER_FILE, columns=columns)
    except TermFileError as error:
        raise DraftError(str(error)) from None
    # Cells a Guitu export neutralised ('=...) come back as they were.
    rows = [_filled(DraftRow(line=r.line, **{name: from_spreadsheet_cell(value) for name, value in r.values().items()}))
            for r in parsed.rows]
    description = f"{FORMAT_NAMES[parsed.format]}, {'GB18030' if parsed.encoding == 'gb18030' else 'UTF-8'}"
    if not rows and not parsed.errors:
        raise DraftError("The file has no terms.")
    return Draft(rows, [(e.line, e.reason) for e in parsed.errors], source="file", description=description,
                 headers=parsed.headers, columns=parsed.columns, samples=parsed.samples, guessed=parsed.guessed,
                 format=parsed.format)


def _check_text(text: str) -> None:
    if not (text or "").strip():
        raise DraftError("Paste some text first.")
    if len(text) > limits.PASTED_TEXT:
        raise DraftError(f"At most {limits.PASTED_TEXT:,} characters at a time.")
