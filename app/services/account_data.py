"""Everything of a learner's, as one JSON document they can download before deleting their account:
their settings, the decks they own with their terms, the decks they study, every card with its
schedule, their notes and their whole review history."""
from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import select

from app.extensions import db
from app.models import Card, Deck, DeckStudy, LearnerNote, ReviewLog, Term, User
from app.services.cards import deck_terms

SETTINGS = ("desired_retention", "new_cards_per_day", "max_reviews_per_day", "learning_steps", "relearning_steps",
            "timezone", "tone_colors")


def _value(value):
    if isinstance(value, datetime):
        return value.isoformat()
    return getattr(value, "value", value)  # enums by their names


def account_json(user: User, now: datetime) -> Iterator[str]:
    """The document as chunks of JSON text, streamed (a long review history never sits in memory whole)."""
    head = {
        "exported_at": now.isoformat(), "username": user.username, "role": user.role.value,
        "created_at": user.created_at.isoformat(),
        "settings": {**{name: getattr(user, name) for name in SETTINGS}, "script": user.script.value,
                     "voice": user.voice.value, "fsrs_parameters": user.fsrs_parameters},
        "own_decks": [
            {"title": deck.title, "description": deck.description,
             "terms": [{column: getattr(term, column) for column in ("simplified", "traditional", "pinyin", "english",
                                                                      "example_zh", "example_en", "note", "hsk_level")}
                       for term in db.session.scalars(deck_terms(deck))]}
            for deck in db.session.scalars(select(Deck).where(Deck.owner_id == user.id).order_by(Deck.id))
        ],
        "studying": [
            {"deck": title, "directions": study.directions(), "priority": study.priority,
             "new_per_day": study.new_per_day}
            for study, title in db.session.execute(
                select(DeckStudy, Deck.title).join(Deck, Deck.id == DeckStudy.deck_id)
                .where(DeckStudy.user_id == user.id).order_by(DeckStudy.id))
        ],
        "notes": [{"word": word, "note": text} for word, text in db.session.execute(
            select(Term.simplified, LearnerNote.text).join(Term, Term.id == LearnerNote.term_id)
            .where(LearnerNote.user_id == user.id).order_by(LearnerNote.id))],
    }
    yield json.dumps(head, ensure_ascii=False, indent=1)[:-2] + ',\n "cards": ['
    columns = ("direction", "state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses",
               "suspended", "buried_until", "created_at")
    first = True
    for card, word in db.session.execute(
            select(Card, Term.simplified).join(Term, Term.id == Card.term_id).where(Card.user_id == user.id)
            .order_by(Card.id).execution_options(yield_per=1000)):
        item = {"id": card.id, "word": word, **{name: _value(getattr(card, name)) for name in columns}}
        yield ("" if first else ",") + "\n  " + json.dumps(item, ensure_ascii=False)
        first = False
    yield '\n ],\n "reviews": ['
    first = True
    for log in db.session.scalars(select(ReviewLog).where(ReviewLog.user_id == user.id)
                                  .order_by(ReviewLog.reviewed_at, ReviewLog.id).execution_options(yield_per=1000)):
        item = {"card_id": log.card_id, "reviewed_at": log.reviewed_at.isoformat(), "rating": log.rating,
                "duration_ms": log.duration_ms, "state_before": log.state_before, "state_after": log.state_after}
        yield ("" if first else ",") + "\n  " + json.dumps(item, ensure_ascii=False)
        first = False
    yield "\n ]\n}\n"
