"""Undo: every action on a card (grade, suspend, bury, forget and their opposites) is recorded with the
card's state before it; undo takes back the learner's latest action, one step at a time."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, delete, insert, select
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db, insert_row
from app.models import ActionKind, Card, ReviewLog, StudyAction, User
from app.services import Conflict, ServiceError
from app.services.study.state import CardState

ACTIONS_KEPT = 200  # how many of a learner's latest actions can be undone, one by one
RATING_NAMES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
_VERBS = {ActionKind.SUSPEND: "Suspend", ActionKind.UNSUSPEND: "Unsuspend", ActionKind.BURY: "Bury",
          ActionKind.UNBURY: "Unbury", ActionKind.FORGET: "Forget"}


_INSERT = insert(StudyAction.__table__)


def record_action(user: User, card: Card, kind: ActionKind, before: CardState, now: datetime, *,
                  rating: int | None = None, review_log_id: int | None = None) -> None:
    """Remember an action with the card's state before it, in the current transaction."""
    insert_row(_INSERT, {"user_id": user.id, "card_id": card.id, "kind": kind, "rating": rating,
                         "review_log_id": review_log_id, "created_at": now, "before": before.to_dict()})


_OLDEST_KEPT = (select(StudyAction.id).where(StudyAction.user_id == bindparam("user_id"))
                .order_by(StudyAction.id.desc()).offset(bindparam("skip")).limit(1).scalar_subquery())
# Built once (it runs with every grade); the session's objects need no update: the request ends here.
_PRUNE = (delete(StudyAction).where(StudyAction.user_id == bindparam("user_id"), StudyAction.id < _OLDEST_KEPT)
          .execution_options(synchronize_session=False))


def prune_actions(user: User) -> None:
    """Forget all but the learner's ACTIONS_KEPT latest actions (the review log keeps every grade)."""
    db.session.execute(_PRUNE, {"user_id": user.id, "skip": ACTIONS_KEPT - 1})


def last_action(user: User) -> StudyAction | None:
    """The learner's latest action that undo would take back."""
    return db.session.scalar(
        select(StudyAction).where(StudyAction.user_id == user.id).order_by(StudyAction.id.desc()).limit(1))


def action_label(action: StudyAction, word: str) -> str:
    """What undoing it means, for its button: "Good on 打工", "Suspend 打工"."""
    if action.kind is ActionKind.GRADE:
        return f"{RATING_NAMES.get(action.rating, 'grade')} on {word}"
    return f"{_VERBS[action.kind]} {word}"


def undo_last(user: User) -> StudyAction:
    """Take back the learner's latest action: the card returns to exactly its state before it, and a
    grade's review is removed from the history. Returns the action undone (no longer stored)."""
    action = last_action(user)
    if action is None:
        raise ServiceError("There is nothing to undo.")
    card = action.card
    CardState.from_dict(action.before).apply_to(card)
    review_log_id = action.review_log_id
    db.session.expunge(action)  # the caller may still read what was undone
    db.session.execute(delete(StudyAction).where(StudyAction.id == action.id))
    if review_log_id is not None:
        db.session.execute(delete(ReviewLog).where(ReviewLog.id == review_log_id))
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Conflict("The card changed meanwhile; undo again to retry.") from None
    return action
