"""A deck's terms and a learner's cards in it, as queries to read in pages."""
from __future__ import annotations

from sqlalchemy import Select, select

from app.models import Card, Deck, Term, User


def deck_cards(user: User, deck: Deck) -> Select:
    """The user's cards in the deck, in deck order (only the user's: a deck is shared, cards are not),
    as a query to read in pages."""
    return (
        select(Card).join(Term, Term.id == Card.term_id)
        .where(Card.user_id == user.id, Term.deck_id == deck.id)
        .order_by(Term.position, Card.id)
    )


def deck_terms(deck: Deck) -> Select:
    """The deck's terms in deck order, as a query to read in pages."""
    return select(Term).where(Term.deck_id == deck.id).order_by(Term.position, Term.id)
