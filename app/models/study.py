"""Which decks a learner studies, and in which card directions."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class DeckStudy(db.Model):
    """A learner studying a deck. Assigned class decks get one automatically."""

    __tablename__ = "deck_studies"
    __table_args__ = (UniqueConstraint("user_id", "deck_id", name="uq_deck_studies_user_deck"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id", ondelete="CASCADE"), index=True)
    # The card directions this learner studies in this deck.
    recognition: Mapped[bool] = mapped_column(default=True)
    recall: Mapped[bool] = mapped_column(default=True)
    listening: Mapped[bool] = mapped_column(default=False)
    cloze: Mapped[bool] = mapped_column(default=False)  # only terms whose example sentence holds the word
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    deck: Mapped["Deck"] = relationship()  # noqa: F821

    def directions(self) -> list[str]:
        return [name for name in ("recognition", "recall", "listening", "cloze") if getattr(self, name)]
