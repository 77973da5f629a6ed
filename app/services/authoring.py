"""Making decks and adding terms to them, with readings and glosses filled in from the language core."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

import vocab
from app import limits
from app.extensions import db
from app.models import Deck, Term, User, insert_missing
from app.services import Conflict, Forbidden, NotFound, ServiceError, study, vocabulary
from app.services.decks import get_visible_deck
from vocab import termfile

LIMITS = limits.TERM_FIELDS


class InvalidTerms(ServiceError):
    """Some of the terms are wrong; `errors` names each one (index in the request, field, detail)."""

    def __init__(self, errors: list[dict]):
        bad = len({error["index"] for error in errors})
        super().__init__(f"{bad} of the terms could not be added; nothing was saved.", field="terms")
        self.errors = errors


def create_deck(owner: User, title: str, description: str, now: datetime) -> Deck:
    """A new, empty deck owned by an instructor."""
    if not owner.is_instructor:
        raise Forbidden("Only instructors can create decks.")
    title = (title or "").strip()
    if not title or len(title) > limits.DECK_TITLE:
        raise ServiceError(f"A deck needs a title of 1 to {limits.DECK_TITLE} characters.", field="title")
    description = (description or "").strip()
    if len(description) > limits.DECK_DESCRIPTION:
        raise ServiceError(f"Descriptions may have at most {limits.DECK_DESCRIPTION} characters.", field="description")
    deck = Deck(owner_id=owner.id, title=title, description=description, builtin=False, created_at=now)
    db.session.add(deck)
    db.session.commit()
    return deck


def personal_deck(user: User, now: datetime) -> Deck:
    """The learner's own "My words" deck, made on first use (once, however many requests race) and
    studied from then on."""
    slug = f"my-words-{user.id}"
    deck = db.session.scalar(select(Deck).where(Deck.slug == slug))
    if deck is None:
        db.session.execute(insert_missing(Deck).values(
            owner_id=user.id, slug=slug, title="My words", builtin=False, created_at=now,
            description="Words you added from the reader."))
        deck = db.session.scalar(select(Deck).where(Deck.slug == slug))
        study.start_deck(user, deck, now)
    return deck


def added_message(user: User, terms: list[Term], now: datetime) -> str:
    """What adding words to "My words" means for today: own words come first among new cards, so they
    are studied today unless today's new-card limit is used up (then first tomorrow, or "study more")."""
    words = f"{len(terms)} word{'s' if len(terms) != 1 else ''}"
    today = study.new_cards_today(user, now, [term.id for term in terms])
    if today == 0:
        return (f"Added {words} to My words. Today's new-card limit is reached: they come first tomorrow, "
                "or choose Study more today on the review page.")
    return f"Added {words} to My words: they come first in your reviews now ({today} new cards today)."


def get_own_deck(user: User, deck_id: int) -> Deck:
    """A deck the user owns: NotFound when they cannot see it, Forbidden when they see but do not own it."""
    deck = get_visible_deck(user, deck_id)
    if deck.owner_id != user.id:
        raise Forbidden("Only the deck's owner can change it.")
    return deck


def add_terms(user: User, deck_id: int, items: list[dict], now: datetime, *, source: str = "api",
              limit: int = limits.TERMS_PER_REQUEST, skip_existing: bool = False) -> list[Term]:
    """Add terms to the user's own deck, all or nothing, with cards for every learner studying it.

    Each item has `hanzi` and optionally pinyin, english, traditional, example_zh, example_pinyin,
    example_en, note. Missing pinyin, English, traditional form and HSK level come from vocab.
    `source` records where the terms came from (api, typed, file...).
    Raises InvalidTerms listing every bad item; saves nothing then. With skip_existing, terms already
    in the deck are left out instead (the reader's "add these words", which may be sent twice at once).
    """
    deck = get_own_deck(user, deck_id)
    if not items:
        raise ServiceError("Send at least one term.", field="terms")
    if len(items) > limit:
        raise ServiceError(f"At most {limit:,} terms at a time.", field="terms")
    for attempt in (1, 2):
        terms = _new_terms(deck, items, source, skip_existing)
        position = db.session.scalar(
            select(func.coalesce(func.max(Term.position), -1)).where(Term.deck_id == deck.id))
        for offset, term in enumerate(terms, start=1):
            term.position = position + offset
        db.session.add_all(terms)
        try:
            db.session.flush()
        except IntegrityError:
            # Another request added some of these terms meanwhile: read the deck again, once.
            db.session.rollback()
            if attempt == 2 or not skip_existing:
                raise Conflict("Some of these terms were added to the deck by another request meanwhile; "
                               "nothing was saved. Try again.", field="terms") from None
            continue
        study.create_missing_cards(now, deck_ids=[deck.id])
        if terms:
            vocabulary.terms_changed()  # every worker's segmenter keeps them whole from its next request on
        db.session.commit()
        return terms


def _new_terms(deck: Deck, items: list[dict], source: str, skip_existing: bool) -> list[Term]:
    """The items as Terms filled in from the dictionary; InvalidTerms naming every bad one."""
    existing = set(db.session.scalars(select(Term.simplified).where(Term.deck_id == deck.id)))
    errors, terms, seen = [], [], set()
    for index, item in enumerate(items):
        values = {name: (item.get(name) or "").strip() for name in LIMITS}
        problems = [(name, f"at most {limit} characters") for name, limit in LIMITS.items()
                    if len(values[name]) > limit]
        hanzi = values["hanzi"]
        if not hanzi:
            problems.append(("hanzi", "required"))
        elif not termfile.HAN.search(hanzi):
            problems.append(("hanzi", "must contain Chinese characters"))
        info = vocab.lookup_term(hanzi) if hanzi and not problems else None
        simplified = info.simplified if info else hanzi
        if info and skip_existing and (simplified in existing or simplified in seen):
            continue
        if info and (simplified in existing or simplified in seen):
            problems.append(("hanzi", f"{simplified} is already in this deck"))
        if not problems:
            filled = {
                "traditional": values["traditional"] or info.traditional,
                "pinyin": values["pinyin"] or info.pinyin,
                "english": values["english"] or info.gloss,
                "example_pinyin": values["example_pinyin"] or vocab.sentence_pinyin(values["example_zh"]),
            }
            # What the dictionary filled in must fit the columns too (a 64-character term's reading may not).
            problems = [(name, f"at most {LIMITS[name]} characters; the one made from the dictionary has "
                               f"{len(value)}, so give it yourself") for name, value in filled.items()
                        if len(value) > LIMITS[name]]
        errors += [{"index": index, "field": name, "detail": detail} for name, detail in problems]
        if problems:
            continue
        seen.add(simplified)
        terms.append(Term(
            deck_id=deck.id, simplified=simplified, **filled, example_zh=values["example_zh"],
            example_en=values["example_en"], note=values["note"], hsk_level=info.hsk, source=source[:200],
        ))
    if errors:
        raise InvalidTerms(errors)
    return terms


EDITABLE = ("traditional", "pinyin", "english", "example_zh", "example_en", "note")


def _own_term(user: User, deck_id: int, term_id: int) -> Term:
    deck = get_own_deck(user, deck_id)
    term = db.session.get(Term, term_id)
    if term is None or term.deck_id != deck.id:
        raise NotFound("No such term in this deck.")
    return term


def update_term(user: User, deck_id: int, term_id: int, values: dict) -> Term:
    """Change a term's fields in place: its cards, and every learner's history with them, stay."""
    term = _own_term(user, deck_id, term_id)
    clean = {name: (values.get(name) or "").strip() for name in EDITABLE if name in values}
    for name, value in clean.items():
        if len(value) > LIMITS[name]:
            raise ServiceError(f"{name} may have at most {LIMITS[name]} characters.", field=name)
    if "pinyin" in clean and clean["pinyin"]:
        try:
            vocab.normalize_pinyin(clean["pinyin"])
        except ValueError:
            raise ServiceError(f"{clean['pinyin']!r} is not pinyin.", field="pinyin") from None
    if clean.get("traditional", term.traditional) != term.traditional:
        vocabulary.terms_changed()  # the traditional form is a word to segment too
    for name, value in clean.items():
        setattr(term, name, value)
    if "example_zh" in clean:
        term.example_pinyin = vocab.sentence_pinyin(clean["example_zh"]) if clean["example_zh"] else ""
    db.session.commit()
    return term


def delete_term(user: User, deck_id: int, term_id: int) -> str:
    """Remove one term with its cards and their logs; every other term keeps its history."""
    term = _own_term(user, deck_id, term_id)
    simplified = term.simplified
    db.session.delete(term)
    db.session.commit()
    return simplified
