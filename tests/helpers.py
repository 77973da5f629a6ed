"""Helpers shared by test modules: studying a learner's words until they know them."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select

from app.extensions import db
from app.models import Card, Term, User
from app.services import study


def know(user: User, word: str, now: datetime) -> None:
    """The learner grades Easy every card they have for `word`: each leaves the learning steps."""
    cards = db.session.scalars(select(Card).join(Term).where(Card.user_id == user.id, Term.simplified == word)).all()
    assert cards, f"{user.username} has no card for {word}"
    for card in cards:
        study.grade(user, card.id, 4, uuid.uuid4().hex, now)
