"""Which decks a learner studies, and in which card directions."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class DeckStudy(db.Model):
    """A learner studying a deck. Assigned class decks get one automatically."""

    __tablename__ = "deck_studies"
    __table_args__ = (
        UniqueConstraint("user_id", "deck_id", name="uq_deck_studies_user_deck"),
        CheckConstraint("priority >= 1 AND priority <= 5", name="priority"),
        CheckConstraint("new_per_day >= 0", name="new_per_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id", ondelete="CASCADE"), index=True)
    # The card directions this learner studies in this deck.
    recognition: Mapped[bool] = mapped_column(default=True)
    recall: Mapped[bool] = mapped_column(default=True)
    listening: Mapped[bool] = mapped_column(default=False)
    cloze: Mapped[bool] = mapped_column(default=False)  # only terms whose example sentence holds the word
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The order new cards come in: the learner's own words first, then decks by priority (1 first, 5 last).
    priority: Mapped[int] = mapped_column(default=3, server_default="3")
    # This deck's own new cards per day, under the learner's global limit; None: only the global one.
    new_per_day: Mapped[int | None] = mapped_column()

    deck: Mapped["Deck"] = relationship()  # noqa: F821

    def directions(self) -> list[str]:
        return [name for name in ("recognition", "recall", "listening", "cloze") if getattr(self, name)]
