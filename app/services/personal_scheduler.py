"""A learner's own scheduler: which FSRS parameters schedule them, asking for an optimisation, going back
to the defaults, and the re-optimisation reminder. Pages and the API both call these functions.

The optimisation itself runs in the background (services.fit_worker); this module records the request
and, when a worker finishes, keeps the fitted parameters only if they predicted the learner better.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import fsrs
from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import FitStatus, ReviewLog, SchedulerFit, User
from app.services import Conflict, ServiceError
from app.services.scheduler_fit import DEFAULT_PARAMETERS, FitResult, Readiness, readiness

REMINDER_REVIEWS = 1000  # suggest optimising again after this many new reviews (Anki's advice) ...
REMINDER_AGE = timedelta(days=365)  # ... or a year after the last optimisation
PARAMETER_COUNT = len(DEFAULT_PARAMETERS)


class NotEnoughHistory(Conflict):
    """The learner asked to optimise before their history is long enough (409, with what is missing)."""


@dataclass(frozen=True)
class SchedulerState:
    """What the settings page and GET /api/v1/me/scheduler show."""

    status: str  # idle, queued, running or failed: the latest optimisation, as the learner sees it
    parameters: list[float]  # the 21 weights scheduling the learner now
    personalised: bool  # True: fitted parameters; False: FSRS's defaults
    latest: SchedulerFit | None  # the most recent optimisation, finished or not
    result: SchedulerFit | None  # the most recent finished one: its figures
    readiness: Readiness
    reviews_since_fit: int | None  # reviews since the last finished optimisation
    reminder: bool  # the learner wants the re-optimisation reminder
    reoptimize_suggested: bool

    @property
    def error(self) -> str | None:
        return self.latest.error if self.latest is not None and self.status == "failed" else None


def _latest(user: User, *statuses: FitStatus) -> SchedulerFit | None:
    query = select(SchedulerFit).where(SchedulerFit.user_id == user.id)
    if statuses:
        query = query.where(SchedulerFit.status.in_([s.value for s in statuses]))
    return db.session.scalar(query.order_by(SchedulerFit.id.desc()).limit(1))


def _reviews_since(user: User, moment: datetime) -> int:
    return db.session.scalar(select(func.count(ReviewLog.id))
                             .where(ReviewLog.user_id == user.id, ReviewLog.reviewed_at > moment))


def state(user: User, now: datetime) -> SchedulerState:
    latest = _latest(user)
    result = latest if latest is not None and latest.status == FitStatus.DONE.value else _latest(user, FitStatus.DONE)
    status = "idle" if latest is None or latest.status == FitStatus.DONE.value else latest.status
    since = _reviews_since(user, result.finished_at) if result is not None else None
    ready = readiness(user, now)
    suggested = user.optimize_reminder and ready.ready and status == "idle" and result is not None and (
        since >= REMINDER_REVIEWS or (since > 0 and now - result.finished_at >= REMINDER_AGE))
    return SchedulerState(
        status=status, parameters=list(user.fsrs_parameters or DEFAULT_PARAMETERS),
        personalised=user.fsrs_parameters is not None, latest=latest, result=result, readiness=ready,
        reviews_since_fit=since, reminder=user.optimize_reminder, reoptimize_suggested=bool(suggested),
    )


def request_optimization(user: User, now: datetime) -> tuple[SchedulerFit, bool]:
    """Ask for the learner's parameters to be fitted. Returns the fit and whether it has finished already.

    A fit already queued or running is returned rather than queueing another. When nothing changed in
    the history since the last finished fit, that fit is the answer (and its parameters are used again
    if it kept them). Otherwise a fit is queued for a worker, or run at once when FSRS_OPTIMIZER is
    "inline". Raises NotEnoughHistory, saying what is missing, before the history is long enough.
    """
    from app.services import fit_worker

    pending = _latest(user, FitStatus.QUEUED, FitStatus.RUNNING)
    if pending is not None:
        return pending, False
    ready = readiness(user, now)
    if not ready.ready:
        raise NotEnoughHistory(ready.message)
    count, last_id = db.session.execute(
        select(func.count(ReviewLog.id), func.max(ReviewLog.id)).where(ReviewLog.user_id == user.id)).one()
    done = _latest(user, FitStatus.DONE)
    if done is not None and (done.reviews_used, done.last_review_id) == (count, last_id):
        if done.accepted:
            user.fsrs_parameters = list(done.parameters)
            db.session.commit()
        return done, True
    fit = SchedulerFit(user_id=user.id, status=FitStatus.QUEUED.value, requested_at=now)
    db.session.add(fit)
    try:
        db.session.commit()
    except IntegrityError:  # another request queued one at the same moment: that one is the answer
        db.session.rollback()
        return _latest(user, FitStatus.QUEUED, FitStatus.RUNNING) or _latest(user), False
    mode = current_app.config["FSRS_OPTIMIZER"]
    if mode == "inline":
        fit_worker.run_pending(now=now, fit_id=fit.id)  # this learner's fit only
        db.session.refresh(fit)
        return fit, fit.status in (FitStatus.DONE.value, FitStatus.FAILED.value)
    if mode == "thread":
        fit_worker.wake(current_app._get_current_object())
    return fit, False


def record_result(fit: SchedulerFit, result: FitResult, reviews_used: int, last_review_id: int | None,
                  now: datetime) -> None:
    """Store a finished fit's figures; the learner's parameters change only when the fitted ones are better."""
    fit.status, fit.finished_at, fit.lease_until = FitStatus.DONE.value, now, None
    fit.reviews_used, fit.last_review_id = reviews_used, last_review_id
    fit.parameters = result.parameters
    fit.log_loss_default, fit.log_loss_fitted = result.default.log_loss, result.fitted.log_loss
    fit.rmse_default, fit.rmse_fitted = result.default.rmse_bins, result.fitted.rmse_bins
    fit.accepted = result.better
    fit.error = None
    if result.better:
        fit.user.fsrs_parameters = result.parameters


def use_parameters(user: User, parameters) -> User:
    """Schedule the learner with these 21 FSRS-6 weights, or with FSRS's defaults for None / "default".

    Weights from elsewhere (Anki's FSRS settings, say) are accepted when fsrs accepts them.
    """
    if parameters is None or parameters == "default":
        user.fsrs_parameters = None
    else:
        if (isinstance(parameters, str) or not isinstance(parameters, (list, tuple))
                or len(parameters) != PARAMETER_COUNT
                or not all(isinstance(w, (int, float)) and not isinstance(w, bool) and math.isfinite(w)
                           for w in parameters)):
            raise ServiceError(f"parameters must be \"default\", null or a list of {PARAMETER_COUNT} FSRS-6 "
                               "weights.", field="parameters")
        try:
            fsrs.Scheduler(parameters=[float(w) for w in parameters])
        except ValueError as error:
            raise ServiceError(f"These are not valid FSRS-6 parameters: {error}", field="parameters") from None
        user.fsrs_parameters = [float(w) for w in parameters]
    db.session.commit()
    return user


def set_reminder(user: User, on: bool) -> User:
    user.optimize_reminder = bool(on)
    db.session.commit()
    return user
