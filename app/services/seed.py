"""Loading the built-in decks into the database, idempotently."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.extensions import db
from app.models import Deck, Term
from app.services import study, vocabulary
from vocab.decks import BuiltinDeck, load_builtin_decks


@dataclass
class SeedReport:
    deck: str
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return (f"{self.deck}: {self.added} added, {self.updated} updated, "
                f"{self.removed} removed, {self.unchanged} unchanged")


def seed_builtin_decks(now: datetime) -> list[SeedReport]:
    """Create or update every built-in deck from its data file, in one transaction.

    Terms are matched by their simplified form, so editing a row updates the term in place and every
    learner keeps their cards and review history for it. Rows removed from the file are removed from
    the deck (with their cards); learners studying a deck get cards for its new rows (due `now`).
    Running it twice changes nothing the second time.
    """
    reports = [_seed_deck(builtin) for builtin in load_builtin_decks()]
    if any(report.added or report.updated for report in reports):
        vocabulary.terms_changed()
    db.session.flush()
    study.create_missing_cards(now, deck_ids=select(Deck.id).where(Deck.builtin.is_(True)))
    db.session.commit()
    return reports


def _seed_deck(builtin: BuiltinDeck) -> SeedReport:
    import vocab

    deck = db.session.scalar(select(Deck).where(Deck.slug == builtin.slug))
    if deck is None:
        deck = Deck(slug=builtin.slug, builtin=True, owner_id=None)
        db.session.add(deck)
    deck.title, deck.description, deck.builtin = builtin.title, builtin.description, True

    report = SeedReport(builtin.title)
    existing = {term.simplified: term for term in deck.terms}
    for position, row in enumerate(builtin.terms):
        values = dict(
            simplified=row.simplified,
            traditional=row.traditional,
            pinyin=row.pinyin,
            english=row.english,
            hsk_level=row.hsk,
            example_zh=row.example_zh,
            example_pinyin=vocab.sentence_pinyin(row.example_zh),
            example_en=row.example_en,
            note=row.note,
            source=builtin.source,
        )
        term = existing.pop(row.simplified, None)
        if term is None:
            deck.terms.append(Term(position=position, **values))
            report.added += 1
            continue
        term.position = position  # rows may move when others are added or removed; that is no edit
        if any(getattr(term, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(term, key, value)
            report.updated += 1
        else:
            report.unchanged += 1
    for term in existing.values():
        deck.terms.remove(term)
        report.removed += 1
    return report
