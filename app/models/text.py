"""Texts learners keep to read again, with their annotation cached, and the classes they are shared with."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class SavedText(db.Model):
    """A text a learner (or instructor) saved in the reader.

    `annotation` is the language core's reading of `body` (words once each, tokens pointing at them;
    see app.services.reading), made by the core whose fingerprint is `annotation_version`: reopening
    the text reads it instead of annotating again, and a different core makes it again.
    `word_counts` and `hsk_profile` summarise it for the list of texts.
    """

    __tablename__ = "texts"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # An instructor may attach a text to one of their decks: whoever sees the deck sees the text.
    deck_id: Mapped[int | None] = mapped_column(ForeignKey("decks.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, deferred=True)
    length: Mapped[int] = mapped_column()  # characters of body
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    annotation: Mapped[dict | None] = mapped_column(JSON, deferred=True)
    annotation_version: Mapped[str] = mapped_column(String(32), default="")
    word_counts: Mapped[dict | None] = mapped_column(JSON)  # simplified word -> occurrences
    hsk_profile: Mapped[dict | None] = mapped_column(JSON)  # HSK level ('1'..'7', 'none') -> running words

    owner: Mapped["User"] = relationship()  # noqa: F821
    deck: Mapped["Deck | None"] = relationship()  # noqa: F821
    shares: Mapped[list[TextShare]] = relationship(
        back_populates="text", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<SavedText {self.id} {self.title!r}>"


class TextShare(db.Model):
    """A text an instructor shared with one of their classes."""

    __tablename__ = "text_shares"
    __table_args__ = (UniqueConstraint("text_id", "classroom_id", name="uq_text_shares_text_classroom"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    text_id: Mapped[int] = mapped_column(ForeignKey("texts.id", ondelete="CASCADE"))
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classrooms.id", ondelete="CASCADE"), index=True)
    shared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    text: Mapped[SavedText] = relationship(back_populates="shares")
