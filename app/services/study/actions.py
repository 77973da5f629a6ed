"""What a learner does to a card besides grading it: suspend, bury, forget (each undoable), and their note."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm.exc import StaleDataError

from app import limits
from app.extensions import db, rows
from app.models import ActionKind, Card, LearnerNote, User, insert_missing
from app.services import Conflict, ServiceError
from app.services.study.day import study_day
from app.services.study.grading import get_own_card
from app.services.study.state import CardState, new_state
from app.services.study.undo import prune_actions, record_action


def _change(user: User, card: Card, kind: ActionKind, after: CardState, now: datetime) -> Card:
    before = CardState.of(card)
    if after == before:
        return card  # nothing changes, so there is nothing to undo either
    after.apply_to(card)
    record_action(user, card, kind, before, now)
    try:
        prune_actions(user)
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Conflict("The card changed meanwhile, in another tab or window; try again.") from None
    return card


def suspend(user: User, card_id: int, now: datetime, suspended: bool = True) -> Card:
    """Suspended cards never come up until unsuspended; their schedule is kept."""
    card = get_own_card(user, card_id)
    kind = ActionKind.SUSPEND if suspended else ActionKind.UNSUSPEND
    return _change(user, card, kind, _with(card, suspended=suspended), now)


def bury(user: User, card_id: int, now: datetime, buried: bool = True) -> Card:
    """Hide the card until the next study day (4 a.m. local time); unbury shows it again at once."""
    card = get_own_card(user, card_id)
    until = study_day(user, now)[1] if buried else None
    kind = ActionKind.BURY if buried else ActionKind.UNBURY
    return _change(user, card, kind, _with(card, buried_until=until), now)


def forget(user: User, card_id: int, now: datetime) -> Card:
    """Reset the card to new (Anki's "forget"): it is introduced again like a card never seen. Its
    review history stays; suspension is kept."""
    card = get_own_card(user, card_id)
    reset = new_state(now)
    return _change(user, card, ActionKind.FORGET, _with(reset, suspended=card.suspended), now)


def _with(source, **changes) -> CardState:
    return replace(source if isinstance(source, CardState) else CardState.of(source), **changes)


def is_buried(card: Card, now: datetime) -> bool:
    return card.buried_until is not None and card.buried_until > now


# ---- the learner's own note on a word ------------------------------------------------------------

_NOTE = select(LearnerNote.text).where(LearnerNote.user_id == bindparam("user_id"),
                                      LearnerNote.term_id == bindparam("term_id"))


def note_for(user: User, term_id: int) -> str:
    return rows(_NOTE, {"user_id": user.id, "term_id": term_id}).scalar() or ""


def set_note(user: User, card_id: int, text: str, now: datetime) -> str:
    """Save the learner's note on the card's word (every card of the word shows it); empty removes it."""
    card = get_own_card(user, card_id)
    text = (text or "").strip()
    if len(text) > limits.LEARNER_NOTE:
        raise ServiceError(f"Notes may have at most {limits.LEARNER_NOTE} characters.", field="note")
    db.session.execute(insert_missing(LearnerNote).values(user_id=user.id, term_id=card.term_id, text="",
                                                          updated_at=now))
    note = db.session.scalar(
        select(LearnerNote).where(LearnerNote.user_id == user.id, LearnerNote.term_id == card.term_id))
    note.text, note.updated_at = text, now
    db.session.commit()
    return text
