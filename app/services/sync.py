"""Offline sync: a batch of reviews made on a device, applied in the order they happened.

Every review goes through study.record_review, the same rule as a review made in the browser.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app import limits
from app.extensions import commit_keeping_loaded, db
from app.models import Card
from app.services import Conflict, ServiceError, study

# A device's clock may run a little fast; a review further ahead than this is refused.
CLOCK_SKEW = timedelta(minutes=1)


@dataclass(frozen=True)
class ReviewItem:
    card_id: int
    rating: int
    client_review_id: str
    reviewed_at: datetime | None = None  # aware; None means "now"
    duration_ms: int | None = None
    expected_version: int | None = None  # the card's version the client saw; None: not checked


@dataclass(frozen=True)
class ItemResult:
    index: int  # position in the request
    client_review_id: str
    card: Card | None = None
    duplicate: bool = False
    error: ServiceError | None = None

    @property
    def applied(self) -> bool:
        return self.error is None


class BatchRejected(ServiceError):
    """At least one review was refused and the client asked for all or nothing: nothing was applied."""

    def __init__(self, results: list[ItemResult]):
        failed = [r for r in results if r.error is not None]
        super().__init__(f"{len(failed)} of {len(results)} reviews were refused; none was applied.",
                         field="reviews")
        self.results = results
        self.errors = [
            {"index": r.index, "client_review_id": r.client_review_id, "status": r.error.status,
             "field": r.error.field, "detail": r.error.message}
            for r in failed
        ]


def apply_reviews(user, items: list[ReviewItem], now: datetime, *, partial: bool = False) -> list[ItemResult]:
    """Apply the reviews oldest first and commit; results come back in request order.

    A client_review_id seen before is a duplicate (nothing changes). A review in the future, older
    than its card's last review, or of an unknown or another user's card is refused. With
    partial=False one refusal rolls the whole batch back (BatchRejected); with partial=True the
    others are applied. New cards are accepted whatever today's new-card limit: the reviews happened.
    """
    if len(items) > limits.REVIEWS_PER_REQUEST:
        raise ServiceError(f"At most {limits.REVIEWS_PER_REQUEST} reviews per request.", field="reviews")
    order = sorted(range(len(items)), key=lambda i: (items[i].reviewed_at or now, i))
    results: dict[int, ItemResult] = {}
    try:
        for index in order:
            results[index] = _apply(user, index, items[index], now)
        refused = any(r.error is not None for r in results.values())
        ordered = [results[i] for i in range(len(items))]
        if refused and not partial:
            db.session.rollback()
            raise BatchRejected(ordered)
        study.prune_actions(user)
        commit_keeping_loaded()  # the cards are answered as they were written, without a reload
    except (IntegrityError, StaleDataError):
        # Another request changed these cards meanwhile; the batch is safe to send again (idempotent).
        db.session.rollback()
        raise Conflict("Some of these cards were reviewed by another request meanwhile; send the batch again.") \
            from None
    return ordered


def _apply(user, index: int, item: ReviewItem, now: datetime) -> ItemResult:
    when = item.reviewed_at or now
    try:
        if when.tzinfo is None:
            raise ServiceError("reviewed_at needs a UTC offset, e.g. 2026-11-21T12:00:00+08:00.", field="reviewed_at")
        when = when.astimezone(timezone.utc)  # the scheduler works in UTC; +08:00 is the same moment
        if when > now + CLOCK_SKEW:
            raise ServiceError("reviewed_at is in the future.", field="reviewed_at")
        result = study.record_review(user, item.card_id, item.rating, item.client_review_id, when,
                                     duration_ms=item.duration_ms, expected_version=item.expected_version)
    except ServiceError as error:
        return ItemResult(index, item.client_review_id, error=error)
    return ItemResult(index, item.client_review_id, card=result.card, duplicate=result.duplicate)
