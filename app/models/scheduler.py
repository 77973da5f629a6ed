"""Fitting a learner's own FSRS parameters: each request is one SchedulerFit row, a job and its result."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class FitStatus(str, enum.Enum):
    QUEUED = "queued"  # waiting for a worker
    RUNNING = "running"  # claimed by a worker, which renews lease_until while it works
    DONE = "done"  # finished: figures recorded, parameters kept if they were better
    FAILED = "failed"  # gave up: `error` says why


# At most one unfinished fit per learner: a second request joins the first instead of queueing twice.
_UNFINISHED = "status IN ('queued', 'running')"


class SchedulerFit(db.Model):
    """One optimisation of a learner's FSRS parameters on their own review history.

    The row is the job record: a worker claims it (queued -> running) and keeps `lease_until` in the
    future while it works; a running fit whose lease has run out belonged to a worker that died, and
    the next worker takes it over. Figures are the FSRS benchmark's: log loss and RMSE (bins) over a
    time-series split, for FSRS's default parameters and for parameters fitted on earlier reviews.
    """

    __tablename__ = "scheduler_fits"
    __table_args__ = (
        Index("uq_scheduler_fits_user_unfinished", "user_id", unique=True,
              sqlite_where=text(_UNFINISHED), postgresql_where=text(_UNFINISHED)),
        Index("ix_scheduler_fits_status_lease", "status", "lease_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=FitStatus.QUEUED.value)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    reviews_used: Mapped[int | None] = mapped_column()  # the learner's reviews read by the fit
    last_review_id: Mapped[int | None] = mapped_column()  # the newest of them: the same history gives the same fit
    parameters: Mapped[list[float] | None] = mapped_column(JSON)  # the 21 fitted FSRS-6 weights
    log_loss_default: Mapped[float | None] = mapped_column()
    log_loss_fitted: Mapped[float | None] = mapped_column()
    rmse_default: Mapped[float | None] = mapped_column()  # RMSE (bins), 0-1
    rmse_fitted: Mapped[float | None] = mapped_column()
    accepted: Mapped[bool | None] = mapped_column()  # the fitted parameters were better and are in use
    error: Mapped[str | None] = mapped_column(Text)

    user: Mapped["User"] = relationship()  # noqa: F821
