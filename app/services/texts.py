"""Saved texts: kept per learner with their annotation, listed with what the learner knows of them,
and shared by instructors through a deck or with a class."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select, union
from sqlalchemy.orm import undefer

import vocab
from app import limits
from app.extensions import db
from app.models import Classroom, Deck, Enrollment, SavedText, TextShare, User
from app.services import Forbidden, NotFound, ServiceError, reading
from app.services.authoring import get_own_deck
from app.services.decks import visible_decks_query

TITLE_MAX = limits.TEXT_TITLE


def clean(text: str) -> str:
    """One newline convention, and no NUL characters (PostgreSQL cannot store them)."""
    return (text or "").replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")


def _title(title: str, body: str) -> str:
    title = " ".join((title or "").split())
    if len(title) > TITLE_MAX:
        raise ServiceError(f"Titles may have at most {TITLE_MAX} characters.", field="title")
    if title:
        return title
    first = next((line.strip() for line in body.splitlines() if line.strip()), "")
    return first[:30] + ("…" if len(first) > 30 else "")


def create_text(user: User, title: str, body: str, now: datetime, *, deck_id: int | None = None,
                class_ids: list[int] | None = None) -> SavedText:
    """Keep a text for `user`, annotated now so it reopens at once. Instructors may attach it to one of
    their decks and share it with their classes at the same time."""
    body = clean(body)
    if not vocab.HAN.search(body):
        raise ServiceError("Paste some Chinese text: this one has no Chinese characters.", field="text")
    reading.check_length(body)
    text = SavedText(owner_id=user.id, title=_title(title, body), body=body, length=len(body), created_at=now)
    _annotate(text)
    db.session.add(text)
    if deck_id is not None or class_ids:
        db.session.flush()
        _share(user, text, deck_id, class_ids or [])
    db.session.commit()
    return text


def _annotate(text: SavedText) -> None:
    text.annotation = reading.annotate(text.body)
    text.annotation_version = vocab.fingerprint()
    text.word_counts, text.hsk_profile = reading.summary(text.annotation)


def annotation_of(text: SavedText) -> dict:
    """The text's annotation, made again (and stored) when the language core changed since."""
    if text.annotation is None or text.annotation_version != vocab.fingerprint():
        _annotate(text)
        db.session.commit()
    return text.annotation


def visible_texts_query(user: User):
    """The user's own texts, texts attached to decks they see, and texts shared with their classes."""
    classes = union(select(Enrollment.classroom_id).where(Enrollment.user_id == user.id),
                    select(Classroom.id).where(Classroom.instructor_id == user.id))
    shared = select(TextShare.text_id).where(TextShare.classroom_id.in_(classes))
    decks = visible_decks_query(user).with_only_columns(Deck.id)
    return select(SavedText).where(or_(SavedText.owner_id == user.id, SavedText.deck_id.in_(decks),
                                       SavedText.id.in_(shared)))


def get_visible_text(user: User, text_id: int, *, with_annotation: bool = False) -> SavedText:
    """The text if the user may read it; NotFound otherwise (never reveal that it exists)."""
    query = visible_texts_query(user).where(SavedText.id == text_id)
    if with_annotation:
        query = query.options(undefer(SavedText.body), undefer(SavedText.annotation))
    text = db.session.scalar(query)
    if text is None:
        raise NotFound("No such text.")
    return text


def _get_own_text(user: User, text_id: int) -> SavedText:
    text = get_visible_text(user, text_id)
    if text.owner_id != user.id:
        raise Forbidden("Only the person who saved this text can change it.")
    return text


def delete_text(user: User, text_id: int) -> str:
    """Delete one of the user's texts; returns its title."""
    text = _get_own_text(user, text_id)
    title = text.title
    db.session.delete(text)
    db.session.commit()
    return title


def share_text(user: User, text_id: int, deck_id: int | None, class_ids: list[int]) -> SavedText:
    """Attach the text to one of the instructor's decks (or none) and share it with exactly these of
    their classes."""
    text = _get_own_text(user, text_id)
    _share(user, text, deck_id, class_ids)
    db.session.commit()
    return text


def _share(user: User, text: SavedText, deck_id: int | None, class_ids: list[int]) -> None:
    if not user.is_instructor:
        raise Forbidden("Only instructors share texts with decks and classes.")
    if deck_id is not None:
        get_own_deck(user, deck_id)
    from app.services.classes import get_own_class

    wanted = {get_own_class(user, class_id).id for class_id in class_ids}
    text.deck_id = deck_id
    for share in list(text.shares):
        if share.classroom_id not in wanted:
            text.shares.remove(share)
    have = {share.classroom_id for share in text.shares}
    text.shares.extend(TextShare(classroom_id=class_id) for class_id in sorted(wanted - have))


@dataclass(frozen=True)
class TextSummary:
    text: SavedText
    coverage: reading.Coverage
    owned: bool

    @property
    def hsk_percent(self) -> list[tuple[str, float]]:
        """(band, share of running words) per HSK band: '1–3', '4–6', '7–9', and 'beyond' the lists."""
        profile = self.text.hsk_profile or {}
        total = sum(profile.values())
        if not total:
            return []
        bands = (("1–3", ("1", "2", "3")), ("4–6", ("4", "5", "6")), ("7–9", ("7",)), ("beyond", ("none",)))
        return [(label, round(100 * sum(profile.get(k, 0) for k in keys) / total, 1)) for label, keys in bands]


def texts_for(user: User, known: reading.Knowledge | None = None) -> list[TextSummary]:
    """Every text the user may read, newest first, with how much of each they know."""
    known = known or reading.knowledge(user)
    texts = db.session.scalars(visible_texts_query(user).order_by(SavedText.created_at.desc(), SavedText.id.desc()))
    return [TextSummary(t, reading.coverage(t.word_counts or {}, known), t.owner_id == user.id) for t in texts]
