"""Decks and the terms in them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app import limits
from app.extensions import db
from app.models.types import UTCDateTime, utcnow
from vocab.syllables import toneless_pinyin


class Deck(db.Model):
    __tablename__ = "decks"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Built-in decks have no owner; every other deck belongs to the instructor or learner who made it.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # Stable identity of a built-in deck across seeds (e.g. "last-train-home").
    slug: Mapped[str | None] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(limits.DECK_TITLE))
    description: Mapped[str] = mapped_column(Text, default="")
    builtin: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    owner: Mapped["User | None"] = relationship(back_populates="decks")  # noqa: F821
    terms: Mapped[list[Term]] = relationship(
        back_populates="deck",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Term.position",
    )

    def __repr__(self) -> str:
        return f"<Deck {self.id} {self.title!r}>"


class Term(db.Model):
    __tablename__ = "terms"
    # A word may be in a deck twice with two readings (行 xíng, 行 háng), never twice with one.
    __table_args__ = (UniqueConstraint("deck_id", "simplified", "pinyin", name="uq_terms_deck_simplified_pinyin"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    simplified: Mapped[str] = mapped_column(String(limits.TERM_FIELDS["hanzi"]))
    traditional: Mapped[str] = mapped_column(String(limits.TERM_FIELDS["traditional"]), default="")
    pinyin: Mapped[str] = mapped_column(String(limits.TERM_FIELDS["pinyin"]), default="")  # tone marks: "guītú lièchē"
    # The reading without tones, spaces or apostrophes ("guitulieche", ü as v), for searching by pinyin
    # typed without tones; kept in step with `pinyin` (see _plain_pinyin below).
    pinyin_plain: Mapped[str] = mapped_column(String(limits.TERM_FIELDS["pinyin"]), default="", server_default="")
    english: Mapped[str] = mapped_column(Text, default="")
    example_zh: Mapped[str] = mapped_column(Text, default="")
    example_pinyin: Mapped[str] = mapped_column(Text, default="")
    example_en: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")  # cultural note, where there is one
    hsk_level: Mapped[int | None] = mapped_column()  # HSK 3.0 level 1-9 (7 stands for the 7-9 band)
    source: Mapped[str] = mapped_column(String(200), default="")

    deck: Mapped[Deck] = relationship(back_populates="terms")
    cards: Mapped[list["Card"]] = relationship(  # noqa: F821
        back_populates="term", cascade="all, delete-orphan", passive_deletes=True
    )

    CLOZE_GAP = "＿＿"  # where a cloze card hides the word

    @property
    def cloze(self) -> tuple[str, str] | None:
        """(before, after): the example sentence around the term, for a card that hides it; None
        when the sentence does not hold the term in either script."""
        for form in (self.simplified, self.traditional):
            if form and self.example_zh and form in self.example_zh:
                before, _, after = self.example_zh.partition(form)
                return before, after
        return None

    @property
    def cloze_prompt(self) -> str:
        """The example sentence with the term replaced by a gap (the whole sentence if it lacks the term)."""
        if self.cloze is None:
            return self.example_zh
        before, after = self.cloze
        return f"{before}{self.CLOZE_GAP}{after}"

    @validates("pinyin")
    def _plain_pinyin(self, key: str, value: str) -> str:
        self.pinyin_plain = toneless_pinyin(value)
        return value

    def __repr__(self) -> str:
        return f"<Term {self.simplified} {self.pinyin}>"


class TermsVersion(db.Model):
    """One row whose number changes, in the same transaction, whenever deck terms are added or changed,
    so every worker process can tell cheaply that its segmenter must learn new words. The number is
    random rather than counted, so it can never come back to a value a worker saw before."""

    __tablename__ = "terms_version"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)  # always 1
    version: Mapped[int] = mapped_column(BigInteger, default=0)
