"""Adding terms to a deck, for every way in (typed, picked from text, bilingual text, a file, the
API): one validation, one rule for terms already in the deck, one transaction.

A row is checked the same way wherever it comes from: Chinese characters in the term, every field
within app.limits, pinyin normalised to tone marks (Latin letters the term is written with, as in
卡拉OK kǎlā OK, are part of its reading). A term already in the deck is refused unless the caller
chose what to do with it: update it, skip it, or keep both readings as separate terms when the
reading differs (行 xíng and 行 háng). Nothing is saved unless every row is good, or the caller
asked to skip the bad ones.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

import vocab
from app import limits
from app.extensions import db
from app.models import Deck, Term, User
from app.services import Conflict, ServiceError, study, vocabulary
from app.services.authoring import get_own_deck

FIELDS = tuple(limits.TERM_FIELDS)  # hanzi, traditional, pinyin, english, example_zh, example_pinyin, example_en, note
UPDATABLE = FIELDS[1:]


class Duplicates(str, enum.Enum):
    """What to do with a row whose term is already in the deck."""

    UPDATE = "update"  # change the existing term's fields to the row's non-empty ones
    SKIP = "skip"  # leave the existing term as it is
    KEEP_BOTH = "keep_both"  # a different reading becomes a term of its own; the same reading is skipped

    @property
    def label(self) -> str:
        return {"update": "Update the terms already in the deck with these fields",
                "skip": "Skip them (keep the deck's terms as they are)",
                "keep_both": "Keep both readings as separate terms when the reading differs (行 xíng, 行 háng)"}[self.value]


class InvalidTerms(ServiceError):
    """Some rows are wrong; `errors` names each (index in the request, line in a file, field, detail)."""

    def __init__(self, errors: list[dict]):
        bad = len({error["index"] for error in errors})
        super().__init__(f"{bad} of the terms could not be added; nothing was saved.", field="terms")
        self.errors = errors


@dataclass
class ImportResult:
    added: list[Term] = field(default_factory=list)
    updated: list[Term] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)  # {"index", "line", "reason"} per row left out


@dataclass
class _Row:
    index: int
    line: int | None
    values: dict[str, str]
    simplified: str = ""
    info: object = None


def reading_key(pinyin: str) -> str:
    """What two readings share when they are the same reading: 'Xíng', 'xing2' and 'xíng' agree."""
    try:
        return vocab.normalize_pinyin(pinyin).replace("5", "").replace(" ", "")
    except ValueError:  # Latin letters (kǎlā OK): compared as written
        return "".join(pinyin.lower().split())


def check_row(item: dict) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """A row's cleaned values and its problems as (field, detail); the same for every way in."""
    values = {name: " ".join(str(item.get(name) or "").split()) if name in ("hanzi", "pinyin")
              else str(item.get(name) or "").strip() for name in FIELDS}
    problems = [(name, f"longer than {limit:,} characters") for name, limit in limits.TERM_FIELDS.items()
                if len(values[name]) > limit]
    hanzi = values["hanzi"]
    problems += [(name, "contains the NUL character (U+0000)") for name, value in values.items() if "\x00" in value]
    if not hanzi:
        problems.append(("hanzi", "the Chinese term is missing"))
    elif not vocab.HAN.search(hanzi):
        problems.append(("hanzi", f"{hanzi!r} has no Chinese characters"))
    if values["pinyin"] and not problems:
        try:
            values["pinyin"] = vocab.reading_marks(values["pinyin"], hanzi)
        except ValueError:
            problems.append(("pinyin", f"{values['pinyin']!r} is not pinyin"))
        if len(values["pinyin"]) > limits.TERM_FIELDS["pinyin"]:
            problems.append(("pinyin", f"longer than {limits.TERM_FIELDS['pinyin']} characters"))
    return values, problems


def deck_readings(deck: Deck) -> dict[str, list[Term]]:
    """The deck's terms by simplified form (several where a word is kept with two readings)."""
    found: dict[str, list[Term]] = {}
    for term in db.session.scalars(select(Term).where(Term.deck_id == deck.id).order_by(Term.position, Term.id)):
        found.setdefault(term.simplified, []).append(term)
    return found


def import_terms(user: User, deck_id: int, items: list[dict], now: datetime, *,
                 duplicates: Duplicates | None = None, skip_invalid: bool = False, source: str = "api",
                 limit: int = limits.TERMS_PER_REQUEST) -> ImportResult:
    """Add (or update) terms in the user's own deck in one transaction, with cards for every learner
    studying it.

    Each item has `hanzi` and optionally the other FIELDS and `line` (its line in a file); missing
    pinyin, English, traditional form and HSK level come from vocab. Raises InvalidTerms listing
    every bad row (nothing saved) unless `skip_invalid`, which leaves those rows out and lists them.
    Another request adding the same term meanwhile makes this one a Conflict (nothing saved), except
    when the caller skips terms already in the deck: then the deck is read again, once.
    """
    deck = get_own_deck(user, deck_id)
    if not items:
        raise ServiceError("Send at least one term.", field="terms")
    if len(items) > limit:
        raise ServiceError(f"At most {limit:,} terms at a time.", field="terms")
    for attempt in (1, 2):
        try:
            result = _import(deck, items, now, duplicates, skip_invalid, source)
            db.session.commit()
        except IntegrityError:  # another request added the same term meanwhile
            db.session.rollback()
            if attempt == 2 or duplicates is not Duplicates.SKIP:
                raise Conflict("The deck changed while these terms were being saved, so nothing was saved; "
                               "try again.", field="terms") from None
            continue
        return result


def _import(deck: Deck, items: list[dict], now: datetime, duplicates: Duplicates | None, skip_invalid: bool,
            source: str) -> ImportResult:
    """The rows checked, planned and written to the session, not committed."""
    existing = deck_readings(deck)
    result, errors = ImportResult(), []
    checked: list[tuple[_Row, list[tuple[str, str]]]] = []
    batch: dict[str, set[str]] = {}  # simplified -> reading keys of the rows giving it
    for index, item in enumerate(items):
        values, problems = check_row(item)
        row = _Row(index, item.get("line"), values)
        if not problems:
            row.info = vocab.lookup_term(values["hanzi"])
            row.simplified = row.info.simplified
            batch.setdefault(row.simplified, set()).add(reading_key(values["pinyin"] or row.info.pinyin))
        checked.append((row, problems))
    seen: dict[tuple[str, str], int | None] = {}  # (simplified, reading) -> line of the row giving it
    plans: list[tuple[_Row, Term | None]] = []  # (row, existing term to update or None to add)
    for row, problems in checked:
        if not problems:
            plan, problem, skip = _plan(row, existing.get(row.simplified, []), duplicates, seen, batch)
            if problem:
                problems.append(("hanzi", problem))
            elif plan is None and not skip:
                problems += _too_long(row)
            elif skip:
                result.skipped.append({"index": row.index, "line": row.line, "reason": skip})
            if not problems and not skip:
                plans.append((row, plan))
        if problems and skip_invalid:
            result.skipped.append({"index": row.index, "line": row.line,
                                   "reason": "; ".join(detail for _, detail in problems)})
        elif problems:
            errors += [{"index": row.index, "line": row.line, "field": name, "detail": detail}
                       for name, detail in problems]
    if errors:
        raise InvalidTerms(errors)
    position = db.session.scalar(select(func.coalesce(func.max(Term.position), -1)).where(Term.deck_id == deck.id))
    new_words = False
    for row, term in plans:
        if term is None:
            position += 1
            result.added.append(_new_term(deck, row, position, source))
            new_words = True
        else:
            new_words |= bool(row.values["traditional"]) and row.values["traditional"] != term.traditional
            _update(term, row.values)
            result.updated.append(term)
    db.session.add_all(result.added)
    db.session.flush()
    study.create_missing_cards(now, deck_ids=[deck.id])
    if new_words:
        vocabulary.terms_changed()  # every worker's segmenter keeps them whole from its next request on
    return result


def _plan(row: _Row, same: list[Term], duplicates: Duplicates | None, seen: dict,
          batch: dict[str, set[str]]) -> tuple[Term | None, str, str]:
    """(term to update or None to add, problem, reason to skip) for one checked row.

    Rows of one word with different readings are different terms (a deck's own export of 行 xíng
    and 行 háng); the same word and reading twice is a mistake in the list."""
    key = reading_key(row.values["pinyin"] or row.info.pinyin)
    if (row.simplified, key) in seen:
        where = seen[(row.simplified, key)]
        return None, f"{row.simplified} is already in this list" + (f" (line {where})" if where else ""), ""
    seen[(row.simplified, key)] = row.line
    if not same:
        return None, "", ""
    readings = ", ".join(term.pinyin for term in same)
    match = next((term for term in same if reading_key(term.pinyin) == key), None)
    if duplicates is None:
        return None, (f"{row.simplified} is already in this deck ({readings}); choose to update, skip or keep "
                      "both readings"), ""
    if duplicates is Duplicates.SKIP:
        return None, "", f"{row.simplified} is already in this deck ({readings})"
    if duplicates is Duplicates.KEEP_BOTH or match is not None:
        if match is None:
            return None, "", ""
        if duplicates is Duplicates.KEEP_BOTH:
            return None, "", f"{row.simplified} {match.pinyin} is already in this deck"
        return match, "", ""
    # Update, and the deck has the word with another reading: a row with a new reading updates the
    # word's one term, unless the list gives that term's reading too (then both are kept).
    others = [term for term in same if reading_key(term.pinyin) not in batch[row.simplified]]
    if len(same) == 1 and others:
        return same[0], "", ""
    if len(same) > 1 and not row.values["pinyin"]:
        return None, f"{row.simplified} is in this deck with the readings {readings}; give the one to update", ""
    return None, "", ""


def _dictionary_reading(info) -> str:
    """The dictionary's reading, where it is one (a character it cannot read stays without)."""
    try:
        return vocab.reading_marks(info.pinyin, info.simplified)
    except ValueError:
        return ""


def _filled(row: _Row) -> dict[str, str]:
    """The row's values with what it leaves empty filled in from the dictionary."""
    values, info = row.values, row.info
    return {**values, "hanzi": row.simplified, "traditional": values["traditional"] or info.traditional,
            "pinyin": values["pinyin"] or _dictionary_reading(info), "english": values["english"] or info.gloss,
            "example_pinyin": values["example_pinyin"] or vocab.sentence_pinyin(values["example_zh"])}


def _too_long(row: _Row) -> list[tuple[str, str]]:
    """What the dictionary would fill in must fit the columns too (a 64-character term's reading may not)."""
    filled = _filled(row)
    return [(name, f"at most {limits.TERM_FIELDS[name]:,} characters; the one made from the dictionary has "
                   f"{len(filled[name]):,}, so give it yourself")
            for name in ("traditional", "pinyin", "english", "example_pinyin")
            if not row.values[name] and len(filled[name]) > limits.TERM_FIELDS[name]]


def _new_term(deck: Deck, row: _Row, position: int, source: str) -> Term:
    values = _filled(row)
    return Term(
        deck_id=deck.id, position=position, simplified=row.simplified, traditional=values["traditional"],
        pinyin=values["pinyin"], english=values["english"], example_zh=values["example_zh"],
        example_pinyin=values["example_pinyin"], example_en=values["example_en"], note=values["note"],
        hsk_level=row.info.hsk, source=source[:200],
    )


def _update(term: Term, values: dict[str, str]) -> None:
    """The row's non-empty fields replace the term's; a field the file lacks is never wiped."""
    for name in UPDATABLE:
        if values[name]:
            setattr(term, name, values[name])
    if values["example_zh"] and not values["example_pinyin"]:
        term.example_pinyin = vocab.sentence_pinyin(values["example_zh"])


def review_draft(deck: Deck, draft) -> None:
    """Before anything is saved: flag each draft row whose word is already in the deck (with the
    readings it has there) and say what check_row finds wrong with it; such rows start unticked."""
    existing = deck_readings(deck)
    for row in draft.rows:
        row.problems = [detail for _, detail in check_row(row.item())[1]]
        row.existing = [term.pinyin for term in existing.get(row.simplified or row.hanzi, [])]
        row.include = row.include and not row.problems
