"""Reading term lists from files: CSV/TSV with a header, Pleco flashcard exports, Anki plain-text notes.

`read_term_file(data)` takes the raw bytes, finds the encoding (UTF-8 with or without BOM, or
GB18030), the format and which column holds what, and returns every row with its line number,
plus every line that is not a row of the format, with the reason. It saves nothing, knows nothing
of decks and judges no field's content: callers validate rows the same way for every way in.
"""
from __future__ import annotations

import csv
import html
import re
import statistics
from dataclasses import dataclass, field

from .hanzi import HAN
from .syllables import split_syllables

FIELDS = ("hanzi", "traditional", "pinyin", "english", "example_zh", "example_pinyin", "example_en", "note")
# Header names people use, per field (compared lower-case, spaces and dashes as underscores).
HEADER_ALIASES = {
    "hanzi": {"hanzi", "simplified", "chinese", "word", "term", "characters", "汉字", "简体", "词语"},
    "traditional": {"traditional", "繁体", "繁體"},
    "pinyin": {"pinyin", "reading", "拼音"},
    "english": {"english", "meaning", "definition", "gloss", "translation", "英文", "意思"},
    "example_zh": {"example_zh", "example", "sentence", "example_chinese", "例句"},
    "example_pinyin": {"example_pinyin", "sentence_pinyin", "examplepinyin"},
    "example_en": {"example_en", "example_translation", "sentence_translation", "example_english",
                   "exampletranslation"},
    "note": {"note", "notes", "cultural_note"},
}
MAX_ROWS = 20_000
SAMPLE_ROWS = 3  # rows kept per column for a preview of what each column holds
_PLECO_HEAD = re.compile(r"^([^\[\]\t]+?)(?:\[([^\[\]\t]+)\])?$")
_PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")  # Pleco marks bold/italic/new lines with these
_ANKI_HEADER = re.compile(r"^#([a-z ]+):(.*)$", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_HTML_LOOK = re.compile(r"</?(?:b|i|u|br|div|p|span|font|strong|em)\b[^>]*>|&(?:nbsp|amp|lt|gt|quot);", re.IGNORECASE)
# Only these end a line: U+2028, U+2029, form feeds and the like are text inside a field.
_LINE_SPLIT = re.compile(r"(?<=\n)|(?<=\r)(?!\n)")
_SENTENCE_PUNCTUATION = re.compile(r"[。！？，；：,.!?;:…]")


class TermFileError(ValueError):
    """The file as a whole cannot be read; the message says why in one sentence."""


@dataclass
class TermRow:
    line: int  # 1-based line number in the file
    hanzi: str = ""
    traditional: str = ""
    pinyin: str = ""
    english: str = ""
    example_zh: str = ""
    example_pinyin: str = ""
    example_en: str = ""
    note: str = ""

    def values(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in FIELDS}


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str


@dataclass
class TermFile:
    format: str  # "csv", "tsv", "pleco" or "anki"
    encoding: str  # "utf-8", "utf-8-sig" or "gb18030"
    rows: list[TermRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)  # each column's name in the file, or "Column N"
    columns: list[str | None] = field(default_factory=list)  # the field each column was read as (None: left out)
    guessed: bool = False  # the columns were guessed from what they hold (no header named them)
    samples: list[list[str]] = field(default_factory=list)  # the first rows' cells, per row


def read_term_file(data: bytes, *, max_rows: int = MAX_ROWS, columns: list[str | None] | None = None) -> TermFile:
    """Parse a term list. `columns` names the field of each column (None: leave it out) instead of
    the header's or the guessed ones. Raises TermFileError for a file that is not a term list at all."""
    text, encoding = decode(data)
    raw = _LINE_SPLIT.split(text)  # each line with its own line end, so a quoted field keeps its exactly
    lines = [line.rstrip("\r\n") for line in raw]
    first = next((line for line in lines if line.strip()), None)
    if first is None:
        raise TermFileError("The file is empty.")
    if _ANKI_HEADER.match(first.strip()):
        result = _read_anki(raw, columns)
    elif _looks_like_header(first):
        result = _read_table(raw, columns)
    elif _looks_like_pleco(lines):
        result = _read_pleco(lines)
    elif _looks_like_plain_notes(lines):
        result = _read_anki(raw, columns)  # Anki's "Notes in Plain Text" before 2.1.55 has no header
    else:
        raise TermFileError(
            "The file's format is not one we read: use CSV or TSV with a header row (hanzi, pinyin, "
            "english, …), a Pleco flashcard export, or Anki's “Notes in Plain Text” export."
        )
    result.encoding = encoding
    if len(result.rows) > max_rows:
        raise TermFileError(f"The file has {len(result.rows):,} terms; at most {max_rows:,} can be imported at once.")
    result.errors.sort(key=lambda e: e.line)
    return result


def decode(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) or GB18030; anything else is refused with the reason."""
    if not data.strip():
        raise TermFileError("The file is empty.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise TermFileError("The file is UTF-16; save it as UTF-8 and upload it again.")
    if b"\x00" in data[:8192]:
        raise TermFileError("This is a binary file, not a text term list.")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as error:
            raise TermFileError(f"The file starts like UTF-8 but byte {error.start + 3} is not UTF-8.") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise TermFileError("The file is neither UTF-8 nor GB18030 text; save it as UTF-8 and upload it again.") from None
    if not HAN.search(text):
        raise TermFileError("The file is not UTF-8, and read as GB18030 it has no Chinese; save it as UTF-8.")
    return text, "gb18030"


def header_field(name: str) -> str | None:
    """The field a column header names ('Meaning' -> 'english'), or None."""
    key = re.sub(r"[\s\-]+", "_", name.strip().lower())
    return next((field_ for field_, names in HEADER_ALIASES.items() if key in names), None)


def _looks_like_header(line: str) -> bool:
    cells = re.split(r"[\t,;]", line.lstrip("\ufeff"))
    return any(header_field(cell) == "hanzi" for cell in cells)


def _records(lines: list[str], start: int, delimiter: str):
    """(line number of the record's first line, cells) per CSV record of lines[start:] (each with its
    line end); quoted fields may span lines, keeping their line ends as written."""
    reader = csv.reader(iter(lines[start:]), delimiter=delimiter)
    number = start + 1
    try:
        for cells in reader:
            yield number, cells
            number = start + reader.line_num + 1
    except csv.Error as error:
        raise TermFileError(f"Line {start + reader.line_num} cannot be read: {error}.") from None


def _read_table(lines: list[str], override: list[str | None] | None) -> TermFile:
    first = next(i for i, line in enumerate(lines) if line.strip())
    header_line = lines[first].lstrip("\ufeff")
    delimiter = "\t" if "\t" in header_line else (";" if header_line.count(";") > header_line.count(",") else ",")
    records = _records(lines, first, delimiter)
    _, header = next(records)
    result = TermFile(format="tsv" if delimiter == "\t" else "csv", encoding="", headers=[h.strip() for h in header])
    named = [header_field(name) for name in header]
    _fill(result, [(line, [c.strip() for c in cells]) for line, cells in records], override or named)
    return result


def _looks_like_pleco(lines: list[str]) -> bool:
    data = [line for line in lines if line.strip() and not line.startswith("//")][:20]
    if not data:
        return False
    hits = 0
    for line in data:
        cells = line.split("\t")
        if 2 <= len(cells) <= 3 and HAN.search(cells[0]) and _PLECO_HEAD.match(cells[0].strip()):
            hits += 1
    return hits >= max(1, len(data) * 0.8)


def _looks_like_plain_notes(lines: list[str]) -> bool:
    data = [line for line in lines if line.strip()][:20]
    return bool(data) and sum(1 for line in data if "\t" in line and HAN.search(line)) >= len(data) * 0.8


def _read_pleco(lines: list[str]) -> TermFile:
    """Pleco's flashcard text export: `简体[繁體]<TAB>pin1yin1<TAB>definition`, `// Category` lines."""
    result = TermFile(format="pleco", encoding="", headers=["Headword", "Pinyin", "Definition"],
                      columns=["hanzi", "pinyin", "english"])
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("//"):
            continue
        cells = line.split("\t")
        head = _PLECO_HEAD.match(cells[0].strip())
        if head is None or len(cells) > 3:
            result.errors.append(RowError(number, "not a Pleco flashcard line (简体[繁體] TAB pinyin TAB definition)"))
            continue
        definition = _PRIVATE_USE.sub(" ", cells[2]) if len(cells) > 2 else ""
        row = TermRow(number, hanzi=head[1].strip(), traditional=(head[2] or "").strip(),
                      pinyin=cells[1].strip() if len(cells) > 1 else "", english=" ".join(definition.split()))
        result.rows.append(row)
        if len(result.samples) < SAMPLE_ROWS:
            result.samples.append([cells[0].strip(), row.pinyin, row.english])
    return result


def _read_anki(lines: list[str], override: list[str | None] | None) -> TermFile:
    """Anki's "Notes in Plain Text": `#key:value` header lines (none before Anki 2.1.55), one note a line."""
    options: dict[str, str] = {}
    start = 0
    for start, line in enumerate(lines):
        match = _ANKI_HEADER.match(line.strip())
        if not match:
            break
        options[match[1].strip().lower()] = match[2].strip()
    else:
        start = len(lines)
    separator = {"tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|", "colon": ":"}.get(
        options.get("separator", "tab").lower(), options.get("separator", "\t"))
    # Without a header (Anki before 2.1.55) nothing says whether fields are HTML: they are if they look it.
    is_html = options.get("html", "false").lower() == "true" or (
        not options and any(_HTML_LOOK.search(line) for line in lines[:200]))
    if len(separator) != 1:
        raise TermFileError(f"The #separator header {options['separator']!r} is not one character or a name "
                            "(tab, comma, semicolon, space, pipe, colon).")
    skip = set()
    for key in ("notetype column", "deck column", "tags column", "guid column"):
        if key in options:
            if not re.fullmatch(r"[1-9][0-9]{0,2}", options[key]):
                raise TermFileError(f"The #{key} header {options[key]!r} is not a column number.")
            skip.add(int(options[key]) - 1)
    notes = []
    for line, cells in _records(lines, start, separator):
        if any(cell.strip() for cell in cells):
            cleaned = [_clean_html(cell) if is_html else cell.strip() for cell in cells]
            notes.append((line, [c for i, c in enumerate(cleaned) if i not in skip]))
    result = TermFile(format="anki", encoding="")
    width = max((len(cells) for _, cells in notes), default=0)
    names = [n for i, n in enumerate(options["columns"].split(separator)) if i not in skip] \
        if "columns" in options else []
    result.headers = [names[i].strip() if i < len(names) else f"Column {i + 1}" for i in range(width)]
    named = [header_field(name) for name in names]
    if not any(named):
        named = _guess_columns([cells for _, cells in notes])
        result.guessed = override is None
    _fill(result, notes, override or named)
    return result


def _fill(result: TermFile, records, columns: list[str | None]) -> None:
    """Rows from cell lists, each column read as the field `columns` names for it."""
    width = len(result.headers)
    result.columns = (list(columns) + [None] * width)[:width]
    for line, cells in records:
        if not any(cell.strip() for cell in cells):
            continue
        if len(result.samples) < SAMPLE_ROWS:
            result.samples.append(cells)
        if len(cells) > len(result.headers) and any(c.strip() for c in cells[len(result.headers):]):
            result.errors.append(RowError(line, f"{len(cells)} columns but the header has {len(result.headers)}"))
            continue
        row = TermRow(line)
        for name, cell in zip(result.columns, cells):
            if name and not getattr(row, name):
                setattr(row, name, cell)
        result.rows.append(row)


def check_columns(columns: list[str | None]) -> None:
    """A column choice an instructor made: known fields, each at most once, one of them hanzi."""
    named = [c for c in columns if c]
    unknown = [c for c in named if c not in FIELDS]
    if unknown:
        raise TermFileError(f"{unknown[0]!r} is not a field; use {', '.join(FIELDS)} or leave a column out.")
    twice = sorted({c for c in named if named.count(c) > 1})
    if twice:
        raise TermFileError(f"Two columns are read as {twice[0]}; choose one.")
    if "hanzi" not in named:
        raise TermFileError("Choose the column that holds the Chinese terms (hanzi).")


def _clean_html(cell: str) -> str:
    cell = re.sub(r"<br\s*/?>|</div>|</p>", " ", cell, flags=re.IGNORECASE)
    cell = re.sub(r"\[sound:[^\]]*\]", "", cell)
    return " ".join(html.unescape(_TAG.sub("", cell)).split())


def _is_pinyin(text: str) -> bool:
    if not text or HAN.search(text):
        return False
    try:
        return bool(split_syllables(text))
    except ValueError:
        return False


def _has_tones(text: str) -> bool:
    return bool(re.search(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]|[a-zü][1-5]\b", text, re.IGNORECASE))


def _guess_columns(notes: list[list[str]]) -> list[str | None]:
    """Which field each column holds, from what it holds: among the Chinese columns the short terms
    are hanzi and the sentences example_zh; pinyin (the shorter) and example pinyin; the first other
    Latin column English and, beside an example, the next one its translation."""
    width = max((len(cells) for cells in notes), default=0)
    sample = notes[:200]

    def values(index: int) -> list[str]:
        return [cells[index] for cells in sample if index < len(cells) and cells[index]]

    def share(index: int, test) -> float:
        found = values(index)
        return sum(1 for v in found if test(v)) / len(found) if found else 0.0

    def length(index: int) -> float:
        return statistics.median(len(v) for v in values(index)) if values(index) else 0.0

    def sentences(index: int) -> float:
        return share(index, lambda v: len(HAN.findall(v)) > 8 or bool(_SENTENCE_PUNCTUATION.search(v)))

    def same_length_han(index: int, hanzi: int) -> float:
        pairs = [(c[hanzi], c[index]) for c in sample if max(index, hanzi) < len(c) and c[index]]
        return sum(1 for a, b in pairs if len(a) == len(b) and len(HAN.findall(b)) == len(b)) / len(pairs) \
            if pairs else 0.0

    columns: list[str | None] = [None] * width
    han = [i for i in range(width) if share(i, lambda v: bool(HAN.search(v))) > 0.5]
    han.sort(key=lambda i: (sentences(i), length(i), i))
    if han:
        columns[han[0]] = "hanzi"
        rest = han[1:]
        long = [i for i in rest if sentences(i) > 0.5]
        if long:
            columns[long[0]] = "example_zh"
        short = [i for i in rest if columns[i] is None and same_length_han(i, han[0]) > 0.8]
        if short:
            columns[short[0]] = "traditional"
    pinyin = [i for i in range(width) if columns[i] is None
              and share(i, _is_pinyin) > 0.6 and (share(i, _has_tones) > 0.3 or share(i, _is_pinyin) > 0.9)]
    pinyin.sort(key=lambda i: (length(i), i))
    if pinyin:
        columns[pinyin[0]] = "pinyin"
        if len(pinyin) > 1 and "example_zh" in columns:
            columns[pinyin[1]] = "example_pinyin"
    latin = [i for i in range(width) if columns[i] is None and values(i)
             and share(i, lambda v: not HAN.search(v)) > 0.5]
    if latin:
        columns[latin[0]] = "english"
        later = [i for i in latin[1:] if "example_zh" in columns
                 and share(i, lambda v: bool(re.search(r"\w\s+\w.*[.!?]$", v))) > 0.5]
        if later:
            columns[later[0]] = "example_en"
    return columns
