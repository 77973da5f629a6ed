"""The background worker that runs queued optimisations (SchedulerFit rows), off the web request.

Why a database-backed queue and not RQ: the job record has to live in the database anyway (the
learner sees its status and figures), the app must run with nothing but Python (`make run`, SQLite),
and a claim is one conditional UPDATE that SQLite and PostgreSQL both do atomically. So:

- a request inserts a `queued` row and wakes the worker;
- a worker claims the oldest queued row (queued -> running, attempts + 1) and, while fsrs-rs works,
  keeps pushing `lease_until` a minute ahead from a heartbeat thread;
- a worker that dies (process restart, deploy, crash) stops renewing its lease; after it runs out,
  any worker claims the fit again, so nothing is lost. After MAX_ATTEMPTS claims the fit is marked
  failed rather than crashing workers for ever;
- finishing is a conditional UPDATE too: a worker whose fit was taken over records nothing.

FSRS_OPTIMIZER chooses where workers run: "thread" (default: one daemon thread in each app process,
started by the first request, so one machine needs no extra command), "external" (web processes only
queue; run `flask --app wsgi scheduler work` as its own process, e.g. beside several gunicorn
workers), or "inline" (the request runs the fit itself; scripts and tests).
"""
from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import and_, or_, select, update

from app.extensions import db
from app.models import FitStatus, SchedulerFit, User, utcnow
from app.services import personal_scheduler
from app.services.scheduler_fit import NotEnoughData, fit, load_history

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=60)  # a running fit whose lease is older than this lost its worker
HEARTBEAT = LEASE / 4
MAX_ATTEMPTS = 3
POLL_SECONDS = 10.0  # how often an idle worker looks for fits queued by other processes


def claim_next(now: datetime, fit_id: int | None = None) -> tuple[int, int] | None:
    """Claim the oldest fit (or this one) that is queued, or running with an expired lease.
    Returns (fit id, attempt), or None when there is nothing to claim."""
    claimable = or_(SchedulerFit.status == FitStatus.QUEUED.value,
                    and_(SchedulerFit.status == FitStatus.RUNNING.value, SchedulerFit.lease_until < now))
    if fit_id is not None:
        claimable = and_(SchedulerFit.id == fit_id, claimable)
    while True:
        candidate = db.session.execute(
            select(SchedulerFit.id, SchedulerFit.attempts).where(claimable).order_by(SchedulerFit.id).limit(1)
        ).first()
        if candidate is None:
            db.session.rollback()
            return None
        fit_id, attempts = candidate
        claimed = db.session.execute(
            update(SchedulerFit)
            .where(SchedulerFit.id == fit_id, SchedulerFit.attempts == attempts, claimable)
            .values(status=FitStatus.RUNNING.value, attempts=attempts + 1, started_at=now, lease_until=now + LEASE)
            .execution_options(synchronize_session=False)
        ).rowcount
        db.session.commit()
        if claimed == 1:
            return fit_id, attempts + 1
        # another worker claimed it first: look again


def _still_ours(fit_id: int, attempt: int):
    return and_(SchedulerFit.id == fit_id, SchedulerFit.status == FitStatus.RUNNING.value,
                SchedulerFit.attempts == attempt)


class _Heartbeat:
    """Renews a running fit's lease from its own connection while the fit computes."""

    def __init__(self, app: Flask, fit_id: int, attempt: int, clock):
        self.app, self.fit_id, self.attempt, self.clock = app, fit_id, attempt, clock
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"fit-{fit_id}-heartbeat", daemon=True)

    def _run(self):
        while not self.stopped.wait(HEARTBEAT.total_seconds()):
            try:
                with self.app.app_context(), db.engine.begin() as connection:
                    connection.execute(update(SchedulerFit).where(_still_ours(self.fit_id, self.attempt))
                                       .values(lease_until=self.clock() + LEASE))
            except Exception:  # a missed heartbeat only shortens the lease
                log.exception("could not renew the lease of fit %s", self.fit_id)

    def __enter__(self):
        if self.app is not None:
            self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        if self.thread.is_alive():
            self.thread.join(timeout=5)


def run(fit_id: int, attempt: int, *, app: Flask | None = None, clock=utcnow) -> None:
    """Fit one claimed optimisation and record it (or why it failed)."""
    fit_row = db.session.get(SchedulerFit, fit_id)
    user = db.session.get(User, fit_row.user_id)
    if attempt > MAX_ATTEMPTS:
        _fail(fit_id, attempt, "The optimisation stopped several times without finishing; it was abandoned.",
              clock())
        return
    try:
        with _Heartbeat(app, fit_id, attempt, clock):
            history = load_history(user, until=fit_row.requested_at)
            result = fit(history)
    except NotEnoughData as error:
        db.session.rollback()
        _fail(fit_id, attempt, "Your history does not yet have enough reviews a day or more apart to fit "
              f"parameters. Keep reviewing and try again. ({error})", clock())
        return
    except Exception:
        db.session.rollback()
        log.exception("optimisation %s failed", fit_id)
        _fail(fit_id, attempt, "The optimisation failed unexpectedly; it has been logged. Try again later.",
              clock())
        return
    still_ours = db.session.scalar(select(SchedulerFit.id).where(_still_ours(fit_id, attempt)))
    if still_ours is None:  # the lease ran out and another worker took the fit over
        db.session.rollback()
        return
    db.session.refresh(fit_row)
    personal_scheduler.record_result(fit_row, result, history.reviews, history.last_review_id, clock())
    db.session.commit()


def _fail(fit_id: int, attempt: int, message: str, now: datetime) -> None:
    db.session.execute(update(SchedulerFit).where(_still_ours(fit_id, attempt))
                       .values(status=FitStatus.FAILED.value, error=message, finished_at=now, lease_until=None)
                       .execution_options(synchronize_session=False))
    db.session.commit()


def run_pending(*, app: Flask | None = None, now: datetime | None = None, clock=utcnow,
                fit_id: int | None = None) -> int:
    """Claim and run fits (or only this one) until none is left; returns how many ran. `now` fixes the
    clock (tests, benchmarks)."""
    if now is not None:
        def clock():
            return now
    ran = 0
    while (claimed := claim_next(clock(), fit_id)) is not None:
        run(*claimed, app=app, clock=clock)
        ran += 1
    return ran


# ---- the in-process worker thread -------------------------------------------------------------

class Worker:
    """One daemon thread per app process that runs queued fits; woken at once by a request in this
    process, and every POLL_SECONDS for fits queued elsewhere or left behind by a worker that died."""

    def __init__(self, app: Flask, poll: float = POLL_SECONDS):
        self.app, self.poll = app, poll
        self.wakeup, self.stopping = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._loop, name="guitu-fit-worker", daemon=True)

    def start(self) -> Worker:
        self.thread.start()
        return self

    def _loop(self):
        while not self.stopping.is_set():
            try:
                with self.app.app_context():
                    run_pending(app=self.app)
                    db.session.remove()
            except Exception:  # e.g. the database is down: try again at the next poll
                log.exception("the optimisation worker failed; retrying in %s s", self.poll)
            self.wakeup.wait(self.poll)
            self.wakeup.clear()

    def stop(self, timeout: float = 10) -> None:
        self.stopping.set()
        self.wakeup.set()
        self.thread.join(timeout)


_lock = threading.Lock()


def ensure_worker(app: Flask) -> Worker | None:
    """Start this process's worker thread if FSRS_OPTIMIZER is "thread" and it is not running yet."""
    if app.config["FSRS_OPTIMIZER"] != "thread":
        return None
    with _lock:
        worker = app.extensions.get("guitu_fit_worker")
        if worker is None or not worker.thread.is_alive():
            worker = app.extensions["guitu_fit_worker"] = Worker(app).start()
    return worker


def wake(app: Flask) -> None:
    worker = ensure_worker(app)
    if worker is not None:
        worker.wakeup.set()


def init_app(app: Flask) -> None:
    """Start the worker with the first request, so fits queued before a restart resume on their own."""
    @app.before_request
    def _start_fit_worker():
        if "guitu_fit_worker" not in app.extensions:
            ensure_worker(app)
