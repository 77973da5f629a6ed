"""A learner's cards, read-only: the cards of one deck, and one card with its recall probability."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Card, Deck, Term, User


def deck_cards(user: User, deck: Deck) -> list[Card]:
    """The user's cards in the deck, in deck order (only the user's: a deck is shared, cards are not)."""
    return list(db.session.scalars(
        select(Card).join(Term, Term.id == Card.term_id)
        .where(Card.user_id == user.id, Term.deck_id == deck.id)
        .order_by(Term.position, Card.id)
    ))
