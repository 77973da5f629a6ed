"""A learner's cards and the log of every review, the data the FSRS scheduler works on."""
from __future__ import annotations

import enum
from datetime import datetime

import fsrs
from sqlalchemy import JSON, Enum, ForeignKey, Index, String, Text, UniqueConstraint, case
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import limits
from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class Direction(str, enum.Enum):
    RECOGNITION = "recognition"  # 汉字 -> pinyin + meaning
    RECALL = "recall"  # meaning -> 汉字
    LISTENING = "listening"  # sound -> 汉字 + meaning
    CLOZE = "cloze"  # the example sentence with the word hidden -> the word


class Queue(str, enum.Enum):
    """Which of the three queues a card is in, as the review screen counts them."""

    NEW = "new"  # never reviewed
    LEARNING = "learning"  # learning or relearning: due by the minute
    REVIEW = "review"  # due by the day


class Card(db.Model):
    """One learner, one term, one direction, and its scheduling state as fsrs.Card keeps it.

    `state` uses fsrs.State's numbers (1 learning, 2 review, 3 relearning); a card never reviewed has
    `last_review` NULL and counts as new.
    """

    __tablename__ = "cards"
    __table_args__ = (
        UniqueConstraint("user_id", "term_id", "direction", name="uq_cards_user_term_direction"),
        # The reviewer's main query: this learner's due cards, earliest first.
        Index("ix_cards_user_due", "user_id", "due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    term_id: Mapped[int] = mapped_column(ForeignKey("terms.id", ondelete="CASCADE"), index=True)
    direction: Mapped[Direction] = mapped_column(
        Enum(Direction, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])
    )
    state: Mapped[int] = mapped_column(default=1)
    step: Mapped[int | None] = mapped_column(default=0)
    stability: Mapped[float | None] = mapped_column()  # days
    difficulty: Mapped[float | None] = mapped_column()  # 1 (easy) to 10 (hard)
    due: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_review: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reps: Mapped[int] = mapped_column(default=0)
    lapses: Mapped[int] = mapped_column(default=0)
    suspended: Mapped[bool] = mapped_column(default=False)
    buried_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Optimistic lock: two tabs grading the same card at once cannot both win.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    user: Mapped["User"] = relationship(back_populates="cards")  # noqa: F821
    term: Mapped["Term"] = relationship(back_populates="cards")  # noqa: F821
    reviews: Mapped[list[ReviewLog]] = relationship(
        back_populates="card", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_new(self) -> bool:
        return self.last_review is None

    @hybrid_property
    def queue(self) -> Queue:
        """The card's queue (in SQL: the queue's name), so no view needs to know fsrs.State's numbers."""
        if self.last_review is None:
            return Queue.NEW
        return Queue.REVIEW if self.state == fsrs.State.Review.value else Queue.LEARNING

    @queue.inplace.expression
    @classmethod
    def _queue_expression(cls):
        return case((cls.last_review.is_(None), Queue.NEW.value),
                    (cls.state == fsrs.State.Review.value, Queue.REVIEW.value), else_=Queue.LEARNING.value)


class ReviewLog(db.Model):
    """One grade given to one card, with the card's state before and after it (for undo and audits)."""

    __tablename__ = "review_logs"
    __table_args__ = (
        # A retried or double-clicked submit carries the same id and must not count twice.
        UniqueConstraint("user_id", "client_review_id", name="uq_review_logs_user_client_review_id"),
        # A learner's reviews by time, with what the class page, the progress page and today's limits
        # count (card, rating, state before): those read the index alone, not a table row per review.
        Index("ix_review_logs_user_time_covering", "user_id", "reviewed_at", "card_id", "rating", "previous_state"),
        Index("ix_review_logs_card_reviewed_at", "card_id", "reviewed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Kept beside card_id so per-user uniqueness and per-user statistics need no join.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"))
    rating: Mapped[int] = mapped_column()  # fsrs.Rating: 1 again, 2 hard, 3 good, 4 easy
    # The card's state before this review: 0 new, else fsrs.State (1 learning, 2 review, 3 relearning).
    # A column, not just JSON, because daily limits and statistics count by it in SQL.
    previous_state: Mapped[int] = mapped_column(default=0)
    # The card's stability (days) before this review, so the progress page can split retention into
    # young (< 21 days) and mature cards in SQL; None for a new card.
    previous_stability: Mapped[float | None] = mapped_column()
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_ms: Mapped[int | None] = mapped_column()
    client_review_id: Mapped[str] = mapped_column(String(limits.CLIENT_REVIEW_ID))
    state_before: Mapped[dict] = mapped_column(JSON)
    state_after: Mapped[dict] = mapped_column(JSON)

    card: Mapped[Card] = relationship(back_populates="reviews")


class ActionKind(str, enum.Enum):
    """What a learner did to a card; each can be undone, the latest first."""

    GRADE = "grade"
    SUSPEND = "suspend"
    UNSUSPEND = "unsuspend"
    BURY = "bury"
    UNBURY = "unbury"
    FORGET = "forget"


class StudyAction(db.Model):
    """One thing a learner did to a card, with the card's state before it: the undo history.

    Kept for the learner's latest actions only (services.study.undo prunes older ones); a grade's
    ReviewLog is the lasting record.
    """

    __tablename__ = "study_actions"
    __table_args__ = (Index("ix_study_actions_user_id_id", "user_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ActionKind] = mapped_column(
        Enum(ActionKind, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]))
    rating: Mapped[int | None] = mapped_column()  # for grades: 1 again .. 4 easy
    review_log_id: Mapped[int | None] = mapped_column(ForeignKey("review_logs.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    before: Mapped[dict] = mapped_column(JSON)  # study.CardState.to_dict() of the card before the action

    card: Mapped[Card] = relationship()
    review_log: Mapped[ReviewLog | None] = relationship()


class LearnerNote(db.Model):
    """A learner's own note on a word, shown on the back of each of their cards of it."""

    __tablename__ = "learner_notes"
    __table_args__ = (UniqueConstraint("user_id", "term_id", name="uq_learner_notes_user_term"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    term_id: Mapped[int] = mapped_column(ForeignKey("terms.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
