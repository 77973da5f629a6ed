"""Built-in decks: reviewable TSV files in vocab/data/, one term per row."""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
COLUMNS = ("simplified", "traditional", "pinyin", "english", "hsk", "example_zh", "example_en", "note")


@dataclass(frozen=True)
class DeckTerm:
    simplified: str
    traditional: str
    pinyin: str
    english: str
    hsk: int | None
    example_zh: str
    example_en: str
    note: str = ""
    line: int = 0  # line number in the file, for error messages


@dataclass(frozen=True)
class BuiltinDeck:
    slug: str
    title: str
    description: str
    source: str
    path: Path
    terms: list[DeckTerm] = field(default_factory=list)


# The built-in decks, by slug. Their files sit in vocab/data/.
BUILTIN_DECKS = {
    "last-train-home": dict(
        title="归途列车 Last Train Home",
        description=(
            "The vocabulary of Lixin Fan's documentary 归途列车 Last Train Home (2009): a migrant family's "
            "yearly journey from the Guangzhou factories to their village in Sichuan for the Spring Festival. "
            "Every example sentence retells a moment of the film."
        ),
        source="Built-in deck: 归途列车 Last Train Home",
        file="last_train_home.tsv",
    ),
}


class DeckFileError(ValueError):
    """A built-in deck file that cannot be loaded; the message names the file and line."""


def read_deck_file(path: Path) -> list[DeckTerm]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if tuple(header or ()) != COLUMNS:
            raise DeckFileError(f"{path.name}: header must be {' / '.join(COLUMNS)}")
        terms = []
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(COLUMNS):
                raise DeckFileError(f"{path.name}:{line}: expected {len(COLUMNS)} columns, found {len(row)}")
            values = dict(zip(COLUMNS, (cell.strip() for cell in row)))
            hsk = values.pop("hsk")
            if hsk and not hsk.isdigit():
                raise DeckFileError(f"{path.name}:{line}: HSK level {hsk!r} is not a number")
            terms.append(DeckTerm(hsk=int(hsk) if hsk else None, line=line, **values))
    return terms


def load_builtin_decks() -> list[BuiltinDeck]:
    decks = []
    for slug, meta in BUILTIN_DECKS.items():
        path = DATA_DIR / meta["file"]
        decks.append(BuiltinDeck(slug, meta["title"], meta["description"], meta["source"], path,
                                 read_deck_file(path)))
    return decks
