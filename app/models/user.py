"""Accounts: who a person is, what role they have, and how they like to study."""
from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, CheckConstraint, Enum, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class Role(str, enum.Enum):
    LEARNER = "learner"
    INSTRUCTOR = "instructor"
    ADMIN = "admin"


class Script(str, enum.Enum):
    SIMPLIFIED = "simplified"
    TRADITIONAL = "traditional"


class Voice(str, enum.Enum):
    """Which voice speaks Chinese on the review screen."""

    BROWSER = "browser"  # the browser's own Chinese voice where it has one, else the server's
    SERVER = "server"  # always the server's (the same voice on every device)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("desired_retention >= 0.70 AND desired_retention <= 0.97", name="desired_retention"),
        CheckConstraint("new_cards_per_day >= 0", name="new_cards_per_day"),
        CheckConstraint("max_reviews_per_day >= 0", name="max_reviews_per_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    # What the name looks like (accounts.username_skeleton); unique, so look-alike names cannot both exist.
    username_skeleton: Mapped[str] = mapped_column(String(128), server_default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]),
        default=Role.LEARNER,
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # Study settings
    desired_retention: Mapped[float] = mapped_column(default=0.90)
    new_cards_per_day: Mapped[int] = mapped_column(default=20)
    max_reviews_per_day: Mapped[int] = mapped_column(default=200)
    learning_steps: Mapped[str] = mapped_column(String(64), default="1m 10m")
    relearning_steps: Mapped[str] = mapped_column(String(64), default="10m")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    script: Mapped[Script] = mapped_column(
        Enum(Script, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]),
        default=Script.SIMPLIFIED,
    )
    tone_colors: Mapped[bool] = mapped_column(default=True)
    voice: Mapped[Voice] = mapped_column(
        Enum(Voice, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]),
        default=Voice.BROWSER, server_default=Voice.BROWSER.value,
    )
    # "Study more today" (Anki's custom study): extra new cards and reviews on top of today's limits,
    # and reviews due within review_ahead_days after today counted as due today, until more_until
    # (the end of the study day they were asked for).
    more_new_cards: Mapped[int] = mapped_column(default=0, server_default="0")
    more_reviews: Mapped[int] = mapped_column(default=0, server_default="0")
    review_ahead_days: Mapped[int] = mapped_column(default=0, server_default="0")
    more_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The learner's own FSRS-6 weights (21 numbers) once an optimisation kept them; None: FSRS's defaults.
    fsrs_parameters: Mapped[list[float] | None] = mapped_column(JSON)
    # Suggest optimising again after 1,000 new reviews or a year (Anki's advice); the learner may turn it off.
    optimize_reminder: Mapped[bool] = mapped_column(default=True)
    # Part of every session and remember-me cookie; raising it ends them all (logout, password change).
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")

    decks: Mapped[list["Deck"]] = relationship(  # noqa: F821
        back_populates="owner", cascade="all, delete-orphan", passive_deletes=True
    )
    cards: Mapped[list["Card"]] = relationship(  # noqa: F821
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    def get_id(self) -> str:
        """What Flask-Login signs into the session and remember-me cookies: the id and the session version."""
        return f"{self.id}.{self.session_version}"

    @property
    def is_instructor(self) -> bool:
        return self.role in (Role.INSTRUCTOR, Role.ADMIN)

    def __repr__(self) -> str:
        return f"<User {self.username!r} {self.role.value}>"


# Usernames are unique ignoring case: "Qin" and "qin" are the same person; and look-alikes are one name.
Index("uq_users_username_lower", func.lower(User.username), unique=True)
Index("uq_users_username_skeleton", User.username_skeleton, unique=True)
