"""Reading term lists from files: CSV/TSV with a header, Pleco flashcard exports, Anki plain-text notes.

`read_term_file(data)` takes the raw bytes, finds the encoding (UTF-8 with or without BOM, or
GB18030) and the format, and returns every row with its line number, plus every bad row with the
reason. It saves nothing and knows nothing of decks: callers decide what to do with the rows.
"""
from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass, field

from .syllables import numbers_to_marks, split_syllables

FIELDS = ("hanzi", "traditional", "pinyin", "english", "example_zh", "example_en", "note")
# Header names people use, per field (compared lower-case, spaces and dashes as underscores).
HEADER_ALIASES = {
    "hanzi": {"hanzi", "simplified", "chinese", "word", "term", "characters", "汉字", "简体", "词语"},
    "traditional": {"traditional", "繁体", "繁體"},
    "pinyin": {"pinyin", "reading", "拼音"},
    "english": {"english", "meaning", "definition", "gloss", "translation", "英文", "意思"},
    "example_zh": {"example_zh", "example", "sentence", "example_chinese", "例句"},
    "example_en": {"example_en", "example_translation", "sentence_translation", "example_english"},
    "note": {"note", "notes", "cultural_note"},
}
# Longest text per field, matching the Term columns (String(64), String(200)) or a sane cap for Text.
LIMITS = {"hanzi": 64, "traditional": 64, "pinyin": 200, "english": 2000, "example_zh": 2000,
          "example_en": 2000, "note": 2000}
MAX_ROWS = 20_000
HAN = re.compile(r"[\u3400-\u9fff\U00020000-\U0003134f\uf900-\ufaff]")
_PLECO_HEAD = re.compile(r"^([^\[\]\t]+?)(?:\[([^\[\]\t]+)\])?$")
_PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")  # Pleco marks bold/italic/new lines with these
_ANKI_HEADER = re.compile(r"^#([a-z ]+):(.*)$", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


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


def read_term_file(data: bytes, *, max_rows: int = MAX_ROWS) -> TermFile:
    """Parse a term list. Raises TermFileError for a file that is not a term list at all."""
    text, encoding = decode(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # Windows and old Mac line ends read alike
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), None)
    if first is None:
        raise TermFileError("The file is empty.")
    if _ANKI_HEADER.match(first.strip()):
        result = _read_anki(lines)
    elif _looks_like_header(first):
        result = _read_table(text)
    elif _looks_like_pleco(lines):
        result = _read_pleco(lines)
    else:
        raise TermFileError(
            "The file's format is not one we read: use CSV or TSV with a header row (hanzi, pinyin, "
            "english, …), a Pleco flashcard export, or Anki's “Notes in Plain Text” export."
        )
    result.encoding = encoding
    if len(result.rows) > max_rows:
        raise TermFileError(f"The file has {len(result.rows):,} terms; at most {max_rows:,} can be imported at once.")
    result.rows, more_errors = _validate(result.rows)
    result.errors = sorted(result.errors + more_errors, key=lambda e: e.line)
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


def _header_field(name: str) -> str | None:
    key = re.sub(r"[\s\-]+", "_", name.strip().lower())
    return next((field_ for field_, names in HEADER_ALIASES.items() if key in names), None)


def _looks_like_header(line: str) -> bool:
    cells = re.split(r"[\t,;]", line.lstrip("\ufeff"))
    return any(_header_field(cell) == "hanzi" for cell in cells)


def _read_table(text: str) -> TermFile:
    header_line = text.splitlines()[0]
    delimiter = "\t" if "\t" in header_line else (";" if header_line.count(";") > header_line.count(",") else ",")
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader)
    columns = [_header_field(name) for name in header]
    result = TermFile(format="tsv" if delimiter == "\t" else "csv", encoding="")
    for cells in _csv_rows(reader):
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns):]):
            result.errors.append(RowError(line, f"{len(cells)} columns but the header has {len(columns)}"))
            continue
        row = TermRow(line)
        for name, cell in zip(columns, cells):
            if name:
                setattr(row, name, cell.strip())
        result.rows.append(row)
    return result


def _looks_like_pleco(lines: list[str]) -> bool:
    data = [line for line in lines if line.strip() and not line.startswith("//")][:20]
    if not data:
        return False
    hits = 0
    for line in data:
        cells = line.split("\t")
        if len(cells) >= 2 and HAN.search(cells[0]) and _PLECO_HEAD.match(cells[0].strip()):
            hits += 1
    return hits >= max(1, len(data) * 0.8)


def _read_pleco(lines: list[str]) -> TermFile:
    """Pleco's flashcard text export: `简体[繁體]<TAB>pin1yin1<TAB>definition`, `// Category` lines."""
    result = TermFile(format="pleco", encoding="")
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("//"):
            continue
        cells = line.split("\t")
        head = _PLECO_HEAD.match(cells[0].strip())
        if head is None or len(cells) > 3:
            result.errors.append(RowError(number, "not a Pleco flashcard line (简体[繁體] TAB pinyin TAB definition)"))
            continue
        definition = _PRIVATE_USE.sub(" ", cells[2]) if len(cells) > 2 else ""
        result.rows.append(TermRow(
            number, hanzi=head[1].strip(), traditional=(head[2] or "").strip(),
            pinyin=cells[1].strip() if len(cells) > 1 else "", english=" ".join(definition.split()),
        ))
    return result


def _read_anki(lines: list[str]) -> TermFile:
    """Anki's "Notes in Plain Text": `#key:value` header lines, then one note per line."""
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
    if len(separator) != 1:
        raise TermFileError(f"The #separator header {options['separator']!r} is not one character or a name "
                            "(tab, comma, semicolon, space, pipe, colon).")
    is_html = options.get("html", "false").lower() == "true"
    skip = set()
    for key in ("notetype column", "deck column", "tags column", "guid column"):
        if key in options:
            if not re.fullmatch(r"[1-9][0-9]{0,2}", options[key]):
                raise TermFileError(f"The #{key} header {options[key]!r} is not a column number.")
            skip.add(int(options[key]) - 1)
    body = "\n".join(lines[start:])
    reader = csv.reader(io.StringIO(body), delimiter=separator)
    notes = []
    for cells in _csv_rows(reader, first_line=start):
        if any(cell.strip() for cell in cells):
            cleaned = [_clean_html(cell) if is_html else cell.strip() for cell in cells]
            notes.append((start + reader.line_num, [c for i, c in enumerate(cleaned) if i not in skip]))
    named = [_header_field(name) for name in options.get("columns", "").split(separator)] if "columns" in options else None
    if named:
        named = [n for i, n in enumerate(named) if i not in skip]
    columns = named or _guess_columns([cells for _, cells in notes])
    result = TermFile(format="anki", encoding="")
    for line, cells in notes:
        row = TermRow(line)
        for name, cell in zip(columns, cells):
            if name and not getattr(row, name):
                setattr(row, name, cell)
        result.rows.append(row)
    return result


def _csv_rows(reader, first_line: int = 0):
    """The reader's rows; a line the csv module cannot read (e.g. a cell over its 131,072-character
    limit) makes the whole file unreadable, with the line's number."""
    try:
        yield from reader
    except csv.Error as error:
        raise TermFileError(f"Line {first_line + reader.line_num} cannot be read: {error}.") from None


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


def _guess_columns(notes: list[list[str]]) -> list[str | None]:
    """Without a #columns header: the Chinese column is hanzi, the pinyin-only one pinyin, the next Latin one English."""
    width = max((len(cells) for cells in notes), default=0)
    sample = notes[:50]

    def share(index: int, test) -> float:
        values = [cells[index] for cells in sample if index < len(cells) and cells[index]]
        return sum(1 for v in values if test(v)) / len(values) if values else 0.0

    columns: list[str | None] = [None] * width
    han = [share(i, lambda v: bool(HAN.search(v))) for i in range(width)]
    if width and max(han) > 0.5:
        columns[han.index(max(han))] = "hanzi"
    for i in range(width):
        if columns[i] is None and share(i, _is_pinyin) > 0.5 and "pinyin" not in columns:
            columns[i] = "pinyin"
    for i in range(width):
        if columns[i] is None and "english" not in columns and share(i, lambda v: not HAN.search(v)) > 0.5:
            columns[i] = "english"
    return columns


def _validate(rows: list[TermRow]) -> tuple[list[TermRow], list[RowError]]:
    """Keep the rows a deck can take; give every other row its reason."""
    good, errors, seen = [], [], {}
    for row in rows:
        problems = [f"{name} is longer than {limit} characters" for name, limit in LIMITS.items()
                    if len(getattr(row, name)) > limit]
        if not row.hanzi:
            problems.append("the Chinese term is missing")
        elif not HAN.search(row.hanzi):
            problems.append(f"{row.hanzi!r} has no Chinese characters")
        if row.pinyin and not problems:
            try:
                row.pinyin = _marks(row.pinyin)
            except ValueError:
                problems.append(f"{row.pinyin!r} is not pinyin")
        if not problems and row.hanzi in seen:
            problems.append(f"{row.hanzi} is already on line {seen[row.hanzi]}")
        if problems:
            errors.append(RowError(row.line, "; ".join(problems)))
            continue
        seen[row.hanzi] = row.line
        good.append(row)
    return good, errors


def _marks(pinyin: str) -> str:
    """Typed or exported pinyin in tone marks, keeping the file's word breaks: 'gui1tu2 lie4che1' -> 'guītú lièchē'."""
    words = []
    for word in pinyin.split():
        syllables = split_syllables(word)
        words.append(numbers_to_marks(" ".join(s.numbers for s in syllables), join=True))
    return " ".join(words)
